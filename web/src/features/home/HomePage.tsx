import { CheckCircleFilled, CloseCircleFilled, PhoneOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Descriptions, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { Health } from '../../api/types';
import { ROLE_COLORS } from '../../app/AppLayout';
import { useSession } from '../../app/session';
import { listContacts, listGroups, listPeople, orgKeys } from '../org/api';
import { ProgrammeDueList } from '../programme/ProgrammePage';
import { useDashboard } from '../dashboard/api';
import { DashboardFigures } from '../dashboard/DashboardPage';

function CountCard({ title, value, icon, to, loading, testId }: { title: string; value?: number; icon: ReactNode; to: string; loading: boolean; testId: string }) {
  return (
    <Link to={to}>
      <Card hoverable variant="borderless" data-testid={testId}>
        <Statistic title={title} value={value ?? 0} prefix={icon} loading={loading} />
      </Card>
    </Link>
  );
}

/** This year at a glance (the dashboard's figures), linking to the full dashboard. */
function YearAtAGlance() {
  const { t } = useTranslation();
  const board = useDashboard();
  return (
    <Card
      variant="borderless"
      title={board.data ? t('home.yearAtAGlance', { year: board.data.year }) : t('dashboard.title')}
      extra={<Link to="/dashboard" data-testid="home-dashboard-link">{t('home.openDashboard')}</Link>}
      data-testid="home-dashboard"
    >
      {board.data ? <DashboardFigures board={board.data} /> : <Skeleton active paragraph={{ rows: 2 }} />}
    </Card>
  );
}

/** 首页: this year at a glance, the organisation's counts, what the programme has due, the server's health. */
export function HomePage() {
  const { t } = useTranslation();
  const { user, can } = useSession();
  const people = useQuery({ queryKey: orgKeys.people({ archived: 'false', limit: 1, offset: 0 }), queryFn: () => listPeople({ archived: 'false', limit: 1, offset: 0 }) });
  const groups = useQuery({ queryKey: orgKeys.groups('false'), queryFn: () => listGroups('false') });
  const contacts = useQuery({ queryKey: orgKeys.contacts('false'), queryFn: () => listContacts('false') });
  const health = useQuery({ queryKey: ['health'], queryFn: () => api<Health>('/health') });

  return (
    <div data-testid="home-page">
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('home.welcome', { name: user?.displayName ?? '' })}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('home.intro')}
        </Typography.Paragraph>
      </Card>
      {can('dashboard.read') && (
        <div style={{ marginBottom: 16 }}>
          <YearAtAGlance />
        </div>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <CountCard title={t('home.people')} value={people.data?.total} icon={<UserOutlined />} to="/org/people" loading={people.isPending} testId="count-people" />
        </Col>
        <Col xs={24} md={8}>
          <CountCard title={t('home.groups')} value={groups.data?.groups.length} icon={<TeamOutlined />} to="/org/groups" loading={groups.isPending} testId="count-groups" />
        </Col>
        <Col xs={24} md={8}>
          <CountCard title={t('home.onCall')} value={contacts.data?.contacts.length} icon={<PhoneOutlined />} to="/org/on-call" loading={contacts.isPending} testId="count-on-call" />
        </Col>
        {can('programme.read') && (
          <Col xs={24}>
            <Card variant="borderless" title={t('home.programmeDue')} extra={<Link to="/programme">{t('menu.programme')}</Link>} data-testid="programme-due-card">
              <ProgrammeDueList />
            </Card>
          </Col>
        )}
        <Col xs={24}>
          <Card variant="borderless" title={t('home.system')} data-testid="health-card">
            {health.isPending ? (
              <Skeleton active paragraph={{ rows: 2 }} />
            ) : (
              <Descriptions
                column={{ xs: 1, md: 4 }}
                items={[
                  {
                    key: 'status',
                    label: t('common.status'),
                    children: health.data ? (
                      <Tag icon={<CheckCircleFilled />} color="success">
                        {t('home.healthy')}
                      </Tag>
                    ) : (
                      <Tag icon={<CloseCircleFilled />} color="error">
                        {t('home.unhealthy')}
                      </Tag>
                    ),
                  },
                  { key: 'version', label: t('home.version'), children: health.data?.version ?? '—' },
                  { key: 'database', label: t('home.database'), children: health.data?.database === 'postgres' ? 'PostgreSQL' : health.data ? 'PGlite' : '—' },
                  {
                    key: 'role',
                    label: t('home.yourRole'),
                    children: user ? <Tag color={ROLE_COLORS[user.role]}>{t(`roles.${user.role}`)}</Tag> : '—',
                  },
                ]}
              />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
