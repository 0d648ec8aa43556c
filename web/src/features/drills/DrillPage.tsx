import { AuditOutlined, EditOutlined, FileSearchOutlined, FileTextOutlined, MobileOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, List, Result, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorText } from '../../api/client';
import type { Drill, EscalationRule, Inject } from '../../api/types';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { formatDateTime } from '../../lib/format';
import { taxonomyLabels, useTaxonomy } from '../timeline/api';
import { EscalationPanel } from '../timeline/EscalationPanel';
import { ExerciseBanner, ExerciseMark } from '../timeline/ExerciseMark';
import { formatClock } from '../timeline/live';
import { channelIcon, DRILL_STATUS_COLORS } from '../timeline/meta';
import { TimelineList } from '../timeline/TimelineList';
import { TracesPanel } from '../traces/TracesPanel';
import { LiveConsole, TransitionButtons } from './LiveConsole';
import { useLiveDrill } from './useLiveDrill';

function Overview({ drill }: { drill: Drill }) {
  const { t } = useTranslation();
  const labels = taxonomyLabels(useTaxonomy().data);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card variant="borderless" title={t('drill.planOfDrill')} size="small">
          <Descriptions
            column={1}
            size="small"
            items={[
              { key: 'mode', label: t('drill.fields.mode'), children: `${t(`drillModes.${drill.mode}`)} · ${t(`drillScopes.${drill.scope}`)}` },
              { key: 'time', label: t('drill.fields.scheduledStart'), children: formatDateTime(drill.scheduledStart) || '—' },
              { key: 'place', label: t('drill.fields.place'), children: drill.place || '—' },
              { key: 'language', label: t('drill.fields.language'), children: t(`lang.${drill.language}`, { defaultValue: drill.language }) },
              {
                key: 'incident',
                label: t('drill.fields.incident'),
                children: drill.incidentCategory ? `${labels.category(drill.incidentCategory)} ${labels.subcategory(drill.incidentCategory, drill.incidentSubcategory)} · ${labels.level(drill.incidentLevel)}` : '—',
              },
              {
                key: 'plan',
                label: t('wizard.plan'),
                children: drill.plan ? (
                  <Link to={`/plans/${drill.plan.id}`} data-testid="drill-plan">
                    {drill.plan.title} <Tag color="blue">v{drill.plan.number}</Tag>
                  </Link>
                ) : drill.planVersionId ? (
                  <Tag color="blue">{t('drill.planLinked')}</Tag>
                ) : (
                  '—'
                ),
              },
              { key: 'content', label: t('drill.fields.content'), children: <span className="fd-multiline">{drill.content || '—'}</span> },
              { key: 'purpose', label: t('drill.fields.purpose'), children: <span className="fd-multiline">{drill.purpose || '—'}</span> },
              ...(drill.startedAt ? [{ key: 'started', label: t('drill.fields.startedAt'), children: formatDateTime(drill.startedAt) }] : []),
              ...(drill.endedAt ? [{ key: 'ended', label: t('drill.fields.endedAt'), children: `${formatDateTime(drill.endedAt)}（${t('drill.duration', { time: formatClock(drill.drillTimeMs) })}）` }] : []),
            ]}
          />
        </Card>
        <Card variant="borderless" title={t('drill.objectives')} size="small" style={{ marginTop: 16 }}>
          <List
            size="small"
            dataSource={drill.objectives}
            locale={{ emptyText: t('common.none') }}
            renderItem={(o, i) => (
              <List.Item>
                <List.Item.Meta title={`${i + 1}. ${o.text}`} description={o.criterion} />
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card variant="borderless" title={t('drill.participants')} size="small">
          <List
            size="small"
            dataSource={drill.participants}
            locale={{ emptyText: t('common.none') }}
            renderItem={(p) => (
              <List.Item>
                <Space>
                  <Typography.Text strong>{p.name}</Typography.Text>
                  <Tag>{t(`drillRoles.${p.role}`)}</Tag>
                  <Typography.Text type="secondary">{p.duty}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
        <Card variant="borderless" title={t('plan.escalationRules')} size="small" style={{ marginTop: 16 }}>
          <Table<EscalationRule>
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={drill.escalationRules}
            columns={[
              { title: t('plan.rule.recipient'), dataIndex: 'recipient' },
              { title: t('plan.rule.trigger'), dataIndex: 'trigger', render: (v: string) => t(`plan.triggers.${v}`) },
              { title: t('plan.rule.within'), dataIndex: 'withinMinutes', width: 90, render: (v: number) => t('plan.minutes', { count: v }) },
              { title: t('plan.rule.channel'), dataIndex: 'channel', width: 90, render: (v: string) => t(`reportChannels.${v}`) },
            ]}
          />
        </Card>
      </Col>
      {drill.injects.length > 0 && (
        <Col xs={24}>
          <Card variant="borderless" title={<Space>{t('drill.injects')}<ExerciseMark /></Space>} size="small">
            <Table<Inject>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={drill.injects}
              scroll={{ x: 900 }}
              columns={[
                { title: t('inject.offset'), width: 110, render: (_, i) => (i.offsetMs !== null ? `T+${formatClock(i.offsetMs)}` : t('inject.manual')) },
                { title: t('inject.channel'), width: 110, render: (_, i) => <span>{channelIcon(i.channel)} {t(`injectChannels.${i.channel}`, { defaultValue: i.channel })}</span> },
                { title: t('inject.sender'), dataIndex: 'sender', width: 140 },
                { title: t('inject.recipients'), width: 140, render: (_, i) => i.recipients.map((r) => t(`drillRoles.${r}`, { defaultValue: r })).join('、') },
                { title: t('inject.content'), dataIndex: 'content', render: (v: string, i) => <span className="fd-multiline">{i.marksDetection && <Tag color="red">{t('inject.marksDetection')}</Tag>}{v}</span> },
                { title: t('common.status'), width: 90, render: (_, i) => <Tag color={i.status === 'delivered' ? 'green' : 'default'}>{t(`inject.status.${i.status}`)}</Tag> },
              ]}
            />
          </Card>
        </Col>
      )}
    </Row>
  );
}

/** 演练: the drill page. Live (running, paused): the console; before: its plan and approve/start; after: the read-only record. */
export function DrillPage() {
  const { drillId = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user } = useSession();
  const live = useLiveDrill(drillId);
  const drill = live.drill.data;

  if (live.drill.isError) return <Result status="warning" title={errorText(live.drill.error)} />;
  if (!drill) return <Skeleton active />;
  const status = live.timeline.data?.drill.status ?? drill.status;
  const isLive = status === 'running' || status === 'paused';
  const mine = drill.participants.filter((p) => p.userId === user?.id).map((p) => p.role);

  return (
    <div data-testid="drill-page" data-status={status}>
      <ExerciseBanner />
      <PageContainer
        title={
          <Space wrap>
            <ExerciseMark size="large" />
            <span data-testid="drill-title">{drill.title}</span>
            <Tag color={DRILL_STATUS_COLORS[status]} data-testid="drill-status">
              {t(`drillStatus.${status}`)}
            </Tag>
          </Space>
        }
        description={`${t(`drillModes.${drill.mode}`)} · ${t(`drillScopes.${drill.scope}`)}${drill.place ? ` · ${drill.place}` : ''}`}
        card={false}
        extra={
          <Space wrap>
            {drill.abilities.includes('edit') && (
              <Button icon={<EditOutlined />} onClick={() => navigate(`/drills/${drill.id}/edit`)} data-testid="drill-edit">
                {t('common.edit')}
              </Button>
            )}
            {['running', 'paused', 'ended', 'evaluated', 'closed'].includes(status) && (
              <Button icon={<AuditOutlined />} onClick={() => navigate(`/drills/${drill.id}/evaluation`)} data-testid="drill-evaluation">
                {t('evaluation.open')}
              </Button>
            )}
            {['running', 'paused', 'ended', 'evaluated', 'closed'].includes(status) && (
              <Button icon={<FileTextOutlined />} onClick={() => navigate(`/drills/${drill.id}/reports`)} data-testid="drill-reports">
                {t('reports.open')}
              </Button>
            )}
            <Button icon={<FileSearchOutlined />} onClick={() => navigate(`/drills/${drill.id}/evidence`)} data-testid="drill-evidence">
              {t('evidence.open')}
            </Button>
            {!isLive && <TransitionButtons live={live} names={['approve', 'start', 'evaluate', 'close']} size="middle" />}
          </Space>
        }
      >
        {isLive && mine.includes('responder') && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('drill.youAreResponder')}
            action={
              <Link to={`/drills/${drill.id}/respond`}>
                <Button type="primary" icon={<MobileOutlined />}>
                  {t('drill.respondView')}
                </Button>
              </Link>
            }
          />
        )}
        {isLive ? (
          <LiveConsole live={live} />
        ) : (
          <>
            {status === 'approved' && <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('drill.approvedHint')} />}
            {status === 'draft' && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('drill.draftHint')} />}
            {['ended', 'evaluated', 'closed'].includes(status) && (
              <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
                <Col xs={24} xl={15}>
                  <Card variant="borderless" size="small" title={t('timeline.titleReadOnly')} loading={!live.timeline.data}>
                    {live.timeline.data && <TimelineList actorNames={live.actorNames} entries={live.timeline.data.entries} basis="drill" exercise newestFirst={false} />}
                  </Card>
                </Col>
                <Col xs={24} xl={9}>
                  <Card variant="borderless" size="small" title={t('escalation.title')} loading={!live.timeline.data}>
                    {live.timeline.data ? <EscalationPanel clocks={live.timeline.data.escalations} fetchedAt={live.timeline.data.fetchedAt} ticking={false} /> : <Empty />}
                  </Card>
                </Col>
              </Row>
            )}
            <Overview drill={drill} />
          </>
        )}
        <TracesPanel drill={drill} status={status} />
      </PageContainer>
    </div>
  );
}
