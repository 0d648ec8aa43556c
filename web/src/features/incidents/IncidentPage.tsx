import { ArrowRightOutlined, DownOutlined, FileSearchOutlined, FileTextOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Dropdown, Result, Row, Skeleton, Space, Steps, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, errorText } from '../../api/client';
import { INCIDENT_STATUSES, KEY_TIMES, type Incident, type KeyTime, type TimelineEntry } from '../../api/types';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { taxonomyLabels, useTaxonomy } from '../timeline/api';
import { EntryBox } from '../timeline/EntryBox';
import { EscalationPanel } from '../timeline/EscalationPanel';
import { ExerciseBanner, ExerciseMark } from '../timeline/ExerciseMark';
import { LiveBadge } from '../timeline/LiveBadge';
import { useLiveTimeline } from '../timeline/live';
import { INCIDENT_STATUS_COLORS } from '../timeline/meta';
import { TimelineList } from '../timeline/TimelineList';
import { downloadFile, incidentReportUrl, REPORT_FORMATS, REPORT_LANGS, type ReportFormat, type ReportLang } from '../reports/api';
import { reportErrorText } from '../reports/ReportsPage';
import { incidentKeys, useIncidentTimeline } from './api';
import { InvestigationCard } from './InvestigationCard';

/** 调查报告: the incident's investigation report, in either language and any format. */
function InvestigationReportButton({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const download = async (lang: ReportLang, format: ReportFormat) => {
    setBusy(true);
    try {
      await downloadFile(incidentReportUrl(incidentId, format, lang), `investigation-${incidentId.slice(0, 8)}.${lang}.${format}`);
    } catch (error) {
      message.error(reportErrorText(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: REPORT_LANGS.map((lang) => ({
          type: 'group' as const,
          key: lang,
          label: t(`lang.${lang}`),
          children: REPORT_FORMATS.map((format) => ({ key: `${lang}|${format}`, label: <span data-testid={`incident-report-${lang}-${format}`}>{t(`reports.formats.${format}`)}</span> })),
        })),
        onClick: ({ key }) => {
          const [lang, format] = key.split('|') as [ReportLang, ReportFormat];
          void download(lang, format);
        },
      }}
    >
      <Button icon={<FileTextOutlined />} loading={busy} data-testid="incident-report">
        {t('reports.kinds.investigation')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}

const KINDS = ['action', 'decision', 'report', 'notification', 'finding'] as const;

/** 安全事件: one incident — status workflow, key times, classification, and its live timeline with escalation clocks. */
export function IncidentPage() {
  const { incidentId = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const labels = taxonomyLabels(useTaxonomy().data);
  const incident = useQuery({ queryKey: [...incidentKeys.one(incidentId), 'detail'], queryFn: () => api<Incident>(`/incidents/${incidentId}`) });
  const real = incident.data ? !incident.data.isDrill : false;
  const view = useIncidentTimeline(incidentId, real);
  const live = useLiveTimeline({
    path: real ? `/incidents/${incidentId}/timeline` : null,
    viewKey: incidentKeys.timeline(incidentId),
    refresh: [incidentKeys.one(incidentId)],
    afterSeq: view.data ? view.data.entries.reduce((m, e) => Math.max(m, e.seq), 0) : undefined,
  });
  const [correcting, setCorrecting] = useState<TimelineEntry | null>(null);
  const [busy, setBusy] = useState(false);
  const canWrite = can('incident.write');

  if (incident.isError) return <Result status="warning" title={errorText(incident.error)} />;
  if (!incident.data) return <Skeleton active />;
  const i = incident.data;
  const step = INCIDENT_STATUSES.indexOf(i.status);
  const next = INCIDENT_STATUSES[step + 1];
  const closed = i.status === 'closed';

  const patch = async (body: Record<string, unknown>) => {
    setBusy(true);
    try {
      await api(`/incidents/${i.id}`, { method: 'PATCH', body });
      await queryClient.invalidateQueries({ queryKey: incidentKeys.one(i.id) });
      await queryClient.invalidateQueries({ queryKey: incidentKeys.all });
      message.success(t('common.saved'));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="incident-page">
      {i.isDrill && <ExerciseBanner />}
      <PageContainer
        title={
          <Space wrap>
            {i.isDrill && <ExerciseMark size="large" />}
            {i.title}
            <Tag color={INCIDENT_STATUS_COLORS[i.status]} data-testid="incident-status">
              {t(`incidentStatus.${i.status}`)}
            </Tag>
          </Space>
        }
        description={`${labels.category(i.category)}${i.subcategory ? ` / ${labels.subcategory(i.category, i.subcategory)}` : ''}${i.level ? ` · ${labels.level(i.level)}` : ''}`}
        card={false}
        extra={
          <Space wrap>
            <Link to={`/incidents/${i.id}/evidence`} data-testid="incident-evidence">
              <Button icon={<FileSearchOutlined />}>{t('evidence.open')}</Button>
            </Link>
            <InvestigationReportButton incidentId={i.id} />
            {canWrite && real && next && (
              <Button type="primary" icon={<ArrowRightOutlined />} loading={busy} onClick={() => void patch({ status: next })} data-testid="incident-next-status">
                {t('incidents.moveTo', { status: t(`incidentStatus.${next}`) })}
              </Button>
            )}
          </Space>
        }
      >
        {i.isDrill && i.drillId && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('incidents.drillIncident')} action={<Link to={`/drills/${i.drillId}`}>{t('drill.backToDrill')}</Link>} />
        )}
        <Card variant="borderless" style={{ marginBottom: 16 }}>
          <Steps current={step} size="small" items={INCIDENT_STATUSES.map((s) => ({ title: t(`incidentStatus.${s}`) }))} />
        </Card>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={15}>
            {real && canWrite && !closed && (
              <Card variant="borderless" size="small" title={t('entry.title')} style={{ marginBottom: 16 }}>
                <EntryBox
                  kinds={KINDS}
                  rules={i.escalationRules}
                  onSubmit={(body) => api(`/incidents/${i.id}/timeline`, { method: 'POST', body })}
                  correcting={correcting}
                  onCancelCorrect={() => setCorrecting(null)}
                />
              </Card>
            )}
            {real && (
              <Card variant="borderless" size="small" title={t('timeline.title')} extra={<LiveBadge state={live} />} loading={!view.data}>
                {view.data && <TimelineList entries={view.data.entries} basis="wall" onCorrect={canWrite && !closed ? setCorrecting : undefined} />}
              </Card>
            )}
          </Col>
          <Col xs={24} xl={9}>
            {real && (
              <Card variant="borderless" size="small" title={t('escalation.title')} style={{ marginBottom: 16 }} loading={!view.data}>
                {view.data && <EscalationPanel clocks={view.data.escalations} fetchedAt={view.data.fetchedAt} ticking={!closed} basis="wall" />}
              </Card>
            )}
            <Card variant="borderless" size="small" title={t('incidents.keyTimesTitle')} style={{ marginBottom: 16 }}>
              <Descriptions
                column={1}
                size="small"
                items={KEY_TIMES.map((k: KeyTime) => ({
                  key: k,
                  label: t(`incidents.keyTimes.${k}`),
                  children:
                    canWrite && real ? (
                      <DatePicker
                        showTime
                        size="small"
                        value={i[k] ? dayjs(i[k]) : null}
                        onChange={(v) => void patch({ [k]: v ? v.toISOString() : null })}
                        data-testid={`key-time-${k}`}
                      />
                    ) : (
                      (i[k] && dayjs(i[k]).format('YYYY-MM-DD HH:mm:ss')) || '—'
                    ),
                }))}
              />
            </Card>
            <Card variant="borderless" size="small" title={t('incidents.details')}>
              <Descriptions
                column={1}
                size="small"
                items={[
                  { key: 'sys', label: t('incidents.fields.affectedSystems'), children: i.affectedSystems.length ? i.affectedSystems.map((s) => <Tag key={s}>{s}</Tag>) : '—' },
                  { key: 'scope', label: t('incidents.fields.scope'), children: <span className="fd-multiline">{i.scope || '—'}</span> },
                  { key: 'plan', label: t('incidents.fields.plan'), children: i.plan ? <Link to={`/plans/${i.plan.id}`}>{i.plan.title} <Tag color="blue">v{i.plan.number}</Tag></Link> : i.planVersionId ? <Tag color="blue">{t('drill.planLinked')}</Tag> : '—' },
                  { key: 'desc', label: t('incidents.fields.description'), children: <span className="fd-multiline">{i.description || '—'}</span> },
                ]}
              />
            </Card>
          </Col>
        </Row>
        <InvestigationCard incidentId={i.id} />
      </PageContainer>
    </div>
  );
}
