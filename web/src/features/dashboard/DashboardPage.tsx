import { AlertOutlined, CalendarOutlined, CheckCircleOutlined, PlusOutlined, ThunderboltOutlined, ToolOutlined } from '@ant-design/icons';
import { Button, Card, Col, DatePicker, Empty, Flex, Progress, Result, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { errorText } from '../../api/client';
import { useSession } from '../../app/session';
import { EChart } from '../../components/EChart';
import { PageContainer } from '../../components/PageContainer';
import { currentLocale } from '../../i18n';
import { ACTION_STATUS_COLORS, PRIORITY_COLORS, type ActionPriority, type ActionStatus, type CorrectiveAction } from '../actions/api';
import { ExerciseMark } from '../timeline/ExerciseMark';
import { useDashboard, type Dashboard } from './api';
import { objectivesOption, trendOption, type DashboardWords } from './charts';

function useDashboardWords(): DashboardWords {
  const { t, i18n } = useTranslation();
  return useMemo<DashboardWords>(
    () => ({
      time: {
        timeToDetectMs: t('evaluation.metrics.timeToDetect'),
        timeToFirstReportMs: t('evaluation.metrics.timeToFirstReport'),
        timeToContainMs: t('evaluation.metrics.timeToContain'),
        timeToRecoverMs: t('evaluation.metrics.timeToRecover'),
        totalDurationMs: t('evaluation.metrics.totalDuration'),
      },
      objectives: {
        met: t('evaluation.ratings.met'),
        partlyMet: t('evaluation.ratings.partly_met'),
        notMet: t('evaluation.ratings.not_met'),
        unrated: t('evaluation.notRated'),
      },
      minutes: t('evaluation.min'),
      duration: (minutes) => t('evaluation.chart.duration', { minutes }),
      none: t('dashboard.notReached'),
      trendDescription: t('dashboard.trendDescription'),
      objectivesDescription: t('dashboard.objectivesDescription'),
    }),
    // i18n.language: new words when the language changes.
    [t, i18n.language],
  );
}

function FigureCard({ title, icon, children, testId, to }: { title: string; icon: ReactNode; children: ReactNode; testId: string; to?: string }) {
  return (
    <Card variant="borderless" size="small" data-testid={testId} title={<Space>{icon}{title}</Space>} extra={to ? <Link to={to}>›</Link> : undefined} style={{ height: '100%' }}>
      {children}
    </Card>
  );
}

/** The year's key figures: programme done vs due, drills run, escalation rules met, corrective actions open and overdue. */
export function DashboardFigures({ board }: { board: Dashboard }) {
  const { t } = useTranslation();
  const p = board.programme;
  const a = board.correctiveActions;
  const rules = board.drills.reduce((sum, d) => ({ met: sum.met + d.escalations.met, applicable: sum.applicable + d.escalations.applicable }), { met: 0, applicable: 0 });
  const ended = board.drills.filter((d) => d.endedAt !== null).length;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={12} xl={6}>
        <FigureCard title={t('dashboard.programme')} icon={<CalendarOutlined />} testId="dash-programme" to="/programme">
          {p.total === 0 ? (
            <Typography.Text type="secondary" data-testid="dash-programme-empty">
              {t('dashboard.programmeEmpty')} <Link to="/programme">{t('menu.programme')}</Link>
            </Typography.Text>
          ) : (
            <Flex vertical gap={4}>
              <Statistic value={p.done} suffix={`/ ${p.total}`} styles={{ content: { fontSize: 24 } }} data-testid="dash-programme-done" />
              <Progress percent={Math.round((p.done / p.total) * 100)} size="small" />
              <Space size={4} wrap>
                <Tag color="red" data-testid="dash-programme-overdue">{t('dashboard.programmeStates.overdue', { count: p.overdue })}</Tag>
                <Tag color="gold" data-testid="dash-programme-due">{t('dashboard.programmeStates.due', { count: p.due })}</Tag>
                <Tag>{t('dashboard.programmeStates.planned', { count: p.planned })}</Tag>
              </Space>
            </Flex>
          )}
        </FigureCard>
      </Col>
      <Col xs={24} md={12} xl={6}>
        <FigureCard title={t('dashboard.drills')} icon={<ThunderboltOutlined />} testId="dash-drills" to="/drills">
          <Statistic value={board.drills.length} styles={{ content: { fontSize: 24 } }} suffix={<ExerciseMark />} data-testid="dash-drills-count" />
          <Typography.Text type="secondary">{t('dashboard.drillsEnded', { count: ended })}</Typography.Text>
        </FigureCard>
      </Col>
      <Col xs={24} md={12} xl={6}>
        <FigureCard title={t('dashboard.escalations')} icon={<CheckCircleOutlined />} testId="dash-escalations">
          <Statistic value={rules.met} suffix={`/ ${rules.applicable}`} styles={{ content: { fontSize: 24 } }} data-testid="dash-escalations-met" />
          <Typography.Text type="secondary">{t('dashboard.escalationsHint')}</Typography.Text>
        </FigureCard>
      </Col>
      <Col xs={24} md={12} xl={6}>
        <FigureCard title={t('dashboard.actions')} icon={<ToolOutlined />} testId="dash-actions" to="/corrective-actions?view=board">
          <Flex gap={24} align="flex-end">
            <Statistic title={t('dashboard.actionsOpen')} value={a.open + a.inProgress} styles={{ content: { fontSize: 24 } }} data-testid="dash-actions-open" />
            <Statistic
              title={t('actions.overdue')}
              value={a.overdue}
              styles={{ content: { fontSize: 24, color: a.overdue > 0 ? '#cf1322' : undefined } }}
              prefix={a.overdue > 0 ? <AlertOutlined /> : undefined}
              data-testid="dash-actions-overdue"
            />
          </Flex>
        </FigureCard>
      </Col>
    </Row>
  );
}

function ActionsCard({ board }: { board: Dashboard }) {
  const { t } = useTranslation();
  const a = board.correctiveActions;
  const counts: [ActionStatus, number][] = [
    ['open', a.open],
    ['in_progress', a.inProgress],
    ['done', a.done],
    ['verified', a.verified],
  ];
  return (
    <Card
      variant="borderless"
      size="small"
      title={t('dashboard.actionsTitle')}
      extra={<Link to="/corrective-actions?view=board" data-testid="dash-actions-board">{t('dashboard.openBoard')}</Link>}
      data-testid="dash-actions-card"
    >
      {a.total === 0 ? (
        <Empty description={t('dashboard.actionsEmpty')} />
      ) : (
        <Flex vertical gap={12}>
          <Row gutter={[16, 8]}>
            {counts.map(([status, count]) => (
              <Col key={status} xs={12} md={6}>
                <Statistic
                  title={<Tag color={ACTION_STATUS_COLORS[status]}>{status === 'done' ? t('dashboard.awaitingVerification') : t(`actions.statuses.${status}`)}</Tag>}
                  value={count}
                  data-testid={`dash-actions-status-${status}`}
                />
              </Col>
            ))}
          </Row>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('dashboard.overdueList', { count: a.overdue })}
          </Typography.Title>
          <Table<CorrectiveAction>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={a.overdueList}
            locale={{ emptyText: t('dashboard.noneOverdue') }}
            data-testid="dash-overdue-list"
            onRow={(x) => ({ 'data-testid': 'dash-overdue-row', 'data-title': x.title }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: t('actions.fields.title'), dataIndex: 'title', render: (v: string) => <Link to="/corrective-actions?overdue=true">{v}</Link> },
              { title: t('actions.fields.owner'), width: 120, render: (_, x) => x.owner.name },
              { title: t('actions.fields.dueDate'), dataIndex: 'dueDate', width: 120, render: (v: string) => <Typography.Text type="danger">{v}</Typography.Text> },
              { title: t('actions.fields.priority'), dataIndex: 'priority', width: 80, render: (v: ActionPriority) => <Tag color={PRIORITY_COLORS[v]}>{t(`actions.priorities.${v}`)}</Tag> },
              { title: t('common.status'), dataIndex: 'status', width: 100, render: (v: ActionStatus) => <Tag color={ACTION_STATUS_COLORS[v]}>{t(`actions.statuses.${v}`)}</Tag> },
            ]}
          />
        </Flex>
      )}
    </Card>
  );
}

/** 仪表盘: the year across drills — programme done vs due, response-time trends, objectives met, corrective actions. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const yearParam = Number(params.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 2000 && yearParam <= 2100 ? yearParam : undefined;
  const board = useDashboard(year);
  const words = useDashboardWords();
  const drills = board.data?.drills;
  const trend = useMemo(() => (drills ? trendOption(drills, words) : null), [drills, words]);
  const objectives = useMemo(() => (drills ? objectivesOption(drills, words) : null), [drills, words]);
  const locale = currentLocale() === 'en' ? 'EN' : 'ZH';

  const setYear = (value: number | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set('year', String(value));
    else next.delete('year');
    setParams(next, { replace: true });
  };

  return (
    <PageContainer
      testId="dashboard-page"
      card={false}
      title={t('dashboard.title')}
      description={t('dashboard.description')}
      extra={
        <DatePicker
          picker="year"
          allowClear={false}
          value={board.data ? dayjs(`${board.data.year}-01-01`) : null}
          onChange={(v) => setYear(v ? v.year() : null)}
          data-testid="dashboard-year"
        />
      }
    >
      {board.isError ? (
        <Result status="warning" title={errorText(board.error)} />
      ) : !board.data ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Flex vertical gap={16} data-testid="dashboard-content" data-year={board.data.year}>
          <DashboardFigures board={board.data} />
          {board.data.drills.length === 0 ? (
            <Card variant="borderless" data-testid="dash-no-drills">
              <Empty description={t('dashboard.noDrills', { year: board.data.year })}>
                {can('drill.manage') && (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/drills/new')}>
                    {t('dashboard.newDrill')}
                  </Button>
                )}
              </Empty>
            </Card>
          ) : (
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={14}>
                <Card variant="borderless" size="small" title={<Space>{t('dashboard.trendTitle')}<ExerciseMark /></Space>}>
                  {trend && <EChart option={trend} height={340} locale={locale} testId="dash-trend-chart" />}
                </Card>
              </Col>
              <Col xs={24} xl={10}>
                <Card variant="borderless" size="small" title={<Space>{t('dashboard.objectivesTitle')}<ExerciseMark /></Space>}>
                  {objectives && <EChart option={objectives} height={340} locale={locale} testId="dash-objectives-chart" />}
                </Card>
              </Col>
            </Row>
          )}
          <ActionsCard board={board.data} />
        </Flex>
      )}
    </PageContainer>
  );
}
