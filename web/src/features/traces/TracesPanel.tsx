import { ExperimentOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Collapse, Descriptions, Form, Input, InputNumber, List, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError, errorText } from '../../api/client';
import type { Drill } from '../../api/types';
import { useSession } from '../../app/session';
import { formatDateTime } from '../../lib/format';
import { ExerciseMark } from '../timeline/ExerciseMark';
import { formatClock } from '../timeline/live';

interface Localized {
  'zh-CN': string;
  en: string;
}

/** GET /drills/:id/traces: can the scenario generate traces, and has it. */
interface TracesStatus {
  available: boolean;
  generated: boolean;
  seed: string | null;
  evidenceIds: string[];
  steps: number;
}

interface EvidenceItem {
  id: string;
  incidentId: string;
  filename: string;
  sha256: string;
  size: number;
  origin: string;
  description: string;
  parser: string | null;
  status: string;
  report: { events: number; lines: number } | null;
  generated: boolean;
}

interface TruthStep {
  key: string;
  title: Localized;
  description: Localized;
  time: number;
  endTime?: number;
  host?: string;
  user?: string;
  srcIp?: string;
  ruleNames: string[];
}

interface Truth {
  scenarioKey: string;
  seed: string;
  steps: TruthStep[];
}

interface Score {
  steps: Array<{ key: string; title: Localized; found: boolean; findingIds: string[]; timeToFindMs: number | null }>;
  found: number;
  missed: number;
  total: number;
  recall: number;
  falseLeads: Array<{ findingId: string; title: string }>;
}

const OVER = ['ended', 'evaluated', 'closed'];
// The status follows the drill (refreshed with it on every timeline entry); the rest, heavier, on demand.
const tracesKeys = {
  status: (id: string) => ['drills', id, 'traces'] as const,
  details: (id: string) => ['traces', id] as const,
  truth: (id: string) => ['traces', id, 'truth'] as const,
  score: (id: string) => ['traces', id, 'score'] as const,
  evidence: (id: string) => ['traces', id, 'evidence'] as const,
};

/** 2026-12-02 15:36:03 – 15:44:03; the end with its date when it falls on another day. */
function stepWhen(step: Pick<TruthStep, 'time' | 'endTime'>): string {
  const start = formatDateTime(new Date(step.time).toISOString());
  if (step.endTime === undefined) return start;
  const end = formatDateTime(new Date(step.endTime).toISOString());
  return `${start} – ${end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end}`;
}

const hidden = (error: unknown) => error instanceof ApiError && error.status === 403;

function GenerateForm({ drill }: { drill: Drill }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ seed?: string; scale?: number | null }>();
  const generate = useMutation({
    mutationFn: (v: { seed?: string; scale?: number | null }) =>
      api<{ evidence: EvidenceItem[]; steps: number }>(`/drills/${drill.id}/traces`, { method: 'POST', body: { ...(v.seed?.trim() ? { seed: v.seed.trim() } : {}), ...(v.scale ? { scale: v.scale } : {}) } }),
    onSuccess: async (r) => {
      message.success(t('traces.generated', { files: r.evidence.length }));
      await queryClient.invalidateQueries({ queryKey: tracesKeys.status(drill.id) });
      await queryClient.invalidateQueries({ queryKey: tracesKeys.details(drill.id) });
    },
  });
  const windowStart = drill.startedAt ?? drill.scheduledStart;
  return (
    <Form form={form} layout="inline" name="traces" onFinish={(v) => generate.mutate(v)} style={{ rowGap: 8 }}>
      {generate.isError && <Alert type="error" showIcon title={errorText(generate.error)} style={{ width: '100%', marginBottom: 8 }} data-testid="traces-error" />}
      <Form.Item name="seed" label={t('traces.seed')} tooltip={t('traces.seedHint')}>
        <Input maxLength={64} placeholder={t('traces.seedPlaceholder')} style={{ width: 200 }} data-testid="traces-seed" />
      </Form.Item>
      <Form.Item name="scale" label={t('traces.scale')} tooltip={t('traces.scaleHint')}>
        <InputNumber min={0.1} max={50} step={0.1} placeholder="1" style={{ width: 100 }} data-testid="traces-scale" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" icon={<ExperimentOutlined />} loading={generate.isPending} data-testid="traces-generate">
          {t('traces.generate')}
        </Button>
      </Form.Item>
      <Typography.Text type="secondary" style={{ width: '100%', marginTop: 4 }}>
        {windowStart ? t('traces.window', { start: formatDateTime(windowStart) }) : t('traces.windowNow')}
      </Typography.Text>
    </Form>
  );
}

function EvidenceList({ drillId, ids }: { drillId: string; ids: string[] }) {
  const { t } = useTranslation();
  const evidence = useQuery({
    queryKey: tracesKeys.evidence(drillId),
    queryFn: () => api<{ evidence: EvidenceItem[] }>(`/cases/${drillId}/evidence`),
    select: (d) => d.evidence.filter((e) => ids.includes(e.id)),
  });
  if (evidence.isError) return <Alert type="error" showIcon title={errorText(evidence.error)} />;
  const incidentId = evidence.data?.[0]?.incidentId;
  return (
    <>
      <Table<EvidenceItem>
        rowKey="id"
        size="small"
        pagination={false}
        loading={!evidence.data}
        dataSource={evidence.data ?? []}
        scroll={{ x: 760 }}
        onRow={() => ({ 'data-testid': 'traces-evidence-row' }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('traces.file'), render: (_, e) => <Typography.Text strong>{e.filename}</Typography.Text> },
          { title: t('traces.host'), dataIndex: 'origin', width: 140 },
          { title: t('traces.description'), dataIndex: 'description' },
          { title: t('traces.events'), width: 90, render: (_, e) => e.report?.events ?? '—' },
          { title: 'SHA-256', width: 130, render: (_, e) => <Typography.Text code copyable={{ text: e.sha256 }}>{e.sha256.slice(0, 10)}</Typography.Text> },
        ]}
        data-testid="traces-evidence"
      />
      {incidentId && (
        <Link to={`/incidents/${incidentId}/evidence`} style={{ display: 'inline-block', marginTop: 8 }}>
          {t('traces.openEvidence')}
        </Link>
      )}
    </>
  );
}

function TruthAndScore({ drillId, over }: { drillId: string; over: boolean }) {
  const { t, i18n } = useTranslation();
  const loc = (l: Localized) => (i18n.language === 'en' ? l.en : l['zh-CN']);
  const truth = useQuery({ queryKey: tracesKeys.truth(drillId), queryFn: () => api<Truth>(`/drills/${drillId}/traces/truth`), retry: false });
  const score = useQuery({ queryKey: tracesKeys.score(drillId), queryFn: () => api<Score>(`/drills/${drillId}/traces/score`), retry: false, enabled: truth.isSuccess });

  if (truth.isError) {
    return hidden(truth.error) ? (
      <Alert type="info" showIcon title={t('traces.hiddenUntilEnd')} description={t('traces.hiddenUntilEndHint')} data-testid="traces-hidden" />
    ) : (
      <Alert type="error" showIcon title={errorText(truth.error)} />
    );
  }
  if (!truth.data) return <Card loading size="small" variant="borderless" />;
  const scored = new Map((score.data?.steps ?? []).map((s) => [s.key, s]));
  const body = (
    <>
      {score.isError && <Alert type="error" showIcon title={errorText(score.error)} style={{ marginBottom: 12 }} />}
      {score.data && (
        <Row gutter={[16, 16]} style={{ marginBottom: 12 }} data-testid="traces-score">
          <Col xs={12} md={6}>
            <Statistic title={t('traces.found')} value={score.data.found} suffix={`/ ${score.data.total}`} valueStyle={{ color: '#389e0d' }} data-testid="score-found" data-value={score.data.found} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('traces.missed')} value={score.data.missed} valueStyle={{ color: score.data.missed ? '#cf1322' : undefined }} data-testid="score-missed" data-value={score.data.missed} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('traces.falseLeads')} value={score.data.falseLeads.length} data-testid="score-false-leads" data-value={score.data.falseLeads.length} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('traces.recall')} value={Math.round(score.data.recall * 100)} suffix="%" data-testid="score-recall" />
          </Col>
        </Row>
      )}
      <Table<TruthStep>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={truth.data.steps}
        scroll={{ x: 900 }}
        onRow={(s) => ({ 'data-testid': 'truth-step', 'data-key': s.key, 'data-found': String(scored.get(s.key)?.found ?? '') }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: '#', width: 40, render: (_, __, i) => i + 1 },
          {
            title: t('traces.step'),
            render: (_, s) => (
              <>
                <Typography.Text strong>{loc(s.title)}</Typography.Text>
                <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
                  {loc(s.description)}
                </Typography.Paragraph>
              </>
            ),
          },
          { title: t('traces.when'), width: 170, render: (_, s) => stepWhen(s) },
          {
            title: t('traces.who'),
            width: 180,
            render: (_, s) => (
              <Space size={[4, 4]} wrap>
                {s.host && <Tag>{s.host}</Tag>}
                {s.user && <Tag color="blue">{s.user}</Tag>}
                {s.srcIp && <Tag color="orange">{s.srcIp}</Tag>}
              </Space>
            ),
          },
          {
            title: t('traces.result'),
            width: 90,
            render: (_, s) => {
              const r = scored.get(s.key);
              if (!r) return '—';
              return (
                <Tag color={r.found ? 'green' : 'red'} data-testid="truth-step-result">
                  {r.found ? t('traces.stepFound') : t('traces.stepMissed')}
                </Tag>
              );
            },
          },
          { title: t('traces.timeToFind'), width: 110, render: (_, s) => (scored.get(s.key)?.timeToFindMs != null ? formatClock(scored.get(s.key)!.timeToFindMs!) : '—') },
          { title: t('traces.findings'), width: 80, render: (_, s) => scored.get(s.key)?.findingIds.length ?? '—' },
        ]}
        data-testid="truth-steps"
      />
      {score.data && score.data.falseLeads.length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>{t('traces.falseLeadList')}</Typography.Text>}
          dataSource={score.data.falseLeads}
          renderItem={(f) => (
            <List.Item data-testid="false-lead">
              <span className="fd-multiline">{f.title}</span>
            </List.Item>
          )}
          style={{ marginTop: 12 }}
        />
      )}
    </>
  );
  if (over) return <div data-testid="traces-truth">{body}</div>;
  // While the drill runs, those allowed to see the answer still have to ask for it (a shared screen must not spoil it).
  return <Collapse size="small" data-testid="traces-truth" items={[{ key: 'truth', label: t('traces.truthLive'), children: body }]} />;
}

/**
 * 技术注入: the drill's generated log traces (benign activity with the attacker's steps woven in) filed as evidence;
 * coordinators generate them; after the drill, the ground truth and how the team's findings scored against it.
 */
export function TracesPanel({ drill, status }: { drill: Drill; status: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const traces = useQuery({ queryKey: tracesKeys.status(drill.id), queryFn: () => api<TracesStatus>(`/drills/${drill.id}/traces`) });
  if (traces.isError) return <Alert type="error" showIcon style={{ marginTop: 16 }} title={errorText(traces.error)} />;
  if (!traces.data || (!traces.data.available && !traces.data.generated)) return null;
  const s = traces.data;
  const over = OVER.includes(status);
  return (
    <Card
      variant="borderless"
      size="small"
      style={{ marginTop: 16 }}
      data-testid="traces-panel"
      data-generated={String(s.generated)}
      title={
        <Space>
          <ExperimentOutlined />
          {t('traces.title')}
          <ExerciseMark />
        </Space>
      }
      extra={
        s.generated && (
          <Button size="small" icon={<ReloadOutlined />} onClick={() => {
              void queryClient.invalidateQueries({ queryKey: tracesKeys.status(drill.id) });
              void queryClient.invalidateQueries({ queryKey: tracesKeys.details(drill.id) });
            }} data-testid="traces-refresh">
            {t('common.refresh')}
          </Button>
        )
      }
    >
      {!s.generated ? (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('traces.notGenerated')} description={t('traces.notGeneratedHint')} data-testid="traces-not-generated" />
          {can('drill.manage') && <GenerateForm drill={drill} />}
        </>
      ) : (
        <>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            style={{ marginBottom: 12 }}
            items={[
              { key: 'state', label: t('common.status'), children: <Tag color="green" data-testid="traces-status">{t('traces.generatedTag')}</Tag> },
              { key: 'seed', label: t('traces.seed'), children: <Typography.Text code data-testid="traces-seed-value">{s.seed}</Typography.Text> },
              { key: 'steps', label: t('traces.stepCount'), children: t('traces.steps', { count: s.steps }) },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('traces.evidenceTitle')}
          </Typography.Title>
          <EvidenceList drillId={drill.id} ids={s.evidenceIds} />
          <Typography.Title level={5}>{t('traces.truthTitle')}</Typography.Title>
          <TruthAndScore key={status} drillId={drill.id} over={over} />
        </>
      )}
    </Card>
  );
}
