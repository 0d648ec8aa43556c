import { ThunderboltOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api/client';
import { useSession } from '../../app/session';
import { currentLocale } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { ruleTitle, useRules } from '../rules/api';
import { evidenceKeys, findingTitle, SEVERITY_COLORS, useFindingEvents, useFindings, type DetectionRun, type EvidenceEvent, type Finding } from './api';

/** The events one finding rests on, read when its row is opened. */
function FindingEvents({ caseId, entryId }: { caseId: string; entryId: string }) {
  const { t } = useTranslation();
  const events = useFindingEvents(caseId, entryId);
  if (events.isError) return <Alert type="error" showIcon title={errorText(events.error)} />;
  return (
    <Table<EvidenceEvent>
      rowKey="id"
      size="small"
      loading={events.isPending}
      dataSource={events.data ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      scroll={{ x: 900 }}
      onRow={() => ({ 'data-testid': 'finding-event' }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { key: 'time', title: t('evidence.events.time'), width: 170, render: (_, e) => (e.time ? formatDateTime(e.time) : '—') },
        { key: 'host', title: t('evidence.filters.host'), width: 120, render: (_, e) => e.host ?? '—' },
        { key: 'type', title: t('evidence.filters.type'), width: 150, dataIndex: 'type' },
        { key: 'user', title: t('evidence.filters.user'), width: 110, render: (_, e) => e.user ?? '—' },
        { key: 'ip', title: t('evidence.events.srcIp'), width: 130, render: (_, e) => e.srcIp ?? '—' },
        { key: 'message', title: t('evidence.events.message'), render: (_, e) => <Typography.Text style={{ fontFamily: 'monospace', fontSize: 12 }}>{e.message}</Typography.Text> },
      ]}
    />
  );
}

/** 发现: what the team and the detection rules found, each resting on events; and the button that runs the rules. */
export function FindingsTab({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const findings = useFindings(caseId);
  const [running, setRunning] = useState(false);
  const [run, setRun] = useState<DetectionRun | null>(null);

  const detect = async () => {
    setRunning(true);
    try {
      const result = await api<DetectionRun>(`/cases/${caseId}/detections`, { method: 'POST' });
      setRun(result);
      await queryClient.invalidateQueries({ queryKey: evidenceKeys.findings(caseId) });
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setRunning(false);
    }
  };

  // Rule titles in the interface language (a finding keeps the rule's English title).
  const rules = useRules();
  const titleOf = (rule: { id: string; title: string }) => {
    const known = rules.data?.find((r) => r.id === rule.id);
    return known ? ruleTitle(known, currentLocale()) : rule.title;
  };
  const severityOf = (f: Finding) => f.evidence?.severity ?? f.evidence?.rule?.level ?? null;

  return (
    <Card
      variant="borderless"
      size="small"
      title={t('evidence.findings.title')}
      extra={
        can('evidence.add') && (
          <Button type="primary" icon={<ThunderboltOutlined />} loading={running} onClick={() => void detect()} data-testid="run-detection">
            {t('evidence.findings.detect')}
          </Button>
        )
      }
      data-testid="evidence-findings"
    >
      {run && (
        <Alert
          type={run.errors.length ? 'warning' : 'success'}
          showIcon
          closable
          onClose={() => setRun(null)}
          style={{ marginBottom: 12 }}
          title={<span data-testid="detection-result" data-created={run.created.length}>{t('evidence.findings.detected', { hits: run.hits, count: run.created.length })}</span>}
          description={
            run.errors.length > 0 && (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {run.errors.map((e) => (
                  <li key={e.ruleId}>
                    {e.title}: {e.message}
                  </li>
                ))}
              </ul>
            )
          }
        />
      )}
      {findings.isError && <Alert type="error" showIcon title={errorText(findings.error)} style={{ marginBottom: 12 }} />}
      <Table<Finding>
        rowKey="entryId"
        size="small"
        loading={findings.isPending}
        dataSource={findings.data ? [...findings.data].reverse() : []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('evidence.findings.empty') }}
        expandable={{ expandedRowRender: (f) => <FindingEvents caseId={caseId} entryId={f.entryId} />, rowExpandable: (f) => (f.evidence?.total ?? 0) > 0 }}
        onRow={(f) => ({ 'data-testid': 'finding-row', 'data-entry': f.entryId }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            key: 'title',
            title: t('evidence.findings.fieldTitle'),
            render: (_, f) => {
              const rest = f.text.split('\n').slice(1).join('\n');
              return (
                <div>
                  <Typography.Text strong data-testid="finding-title">
                    {findingTitle(f.text)}
                  </Typography.Text>
                  {rest && (
                    <Typography.Paragraph type="secondary" style={{ margin: 0, whiteSpace: 'pre-wrap' }} ellipsis={{ rows: 2, expandable: true }}>
                      {rest}
                    </Typography.Paragraph>
                  )}
                </div>
              );
            },
          },
          {
            key: 'severity',
            title: t('evidence.finding.severity'),
            width: 100,
            render: (_, f) => {
              const s = severityOf(f);
              return s ? (
                <Tag color={SEVERITY_COLORS[s] ?? 'default'} data-testid="finding-severity" data-severity={s}>
                  {t(`evidence.severity.${s}`, { defaultValue: s })}
                </Tag>
              ) : (
                '—'
              );
            },
          },
          { key: 'rule', title: t('evidence.findings.rule'), width: 220, render: (_, f) => (f.evidence?.rule ? <span title={f.evidence.rule.id}>{titleOf(f.evidence.rule)}</span> : <Typography.Text type="secondary">{t('evidence.findings.manual')}</Typography.Text>) },
          {
            key: 'time',
            title: t('evidence.findings.time'),
            width: 170,
            render: (_, f) => (
              <Space orientation="vertical" size={0}>
                <span>{formatDateTime(f.at)}</span>
                <Typography.Text type="secondary">{f.actor}</Typography.Text>
              </Space>
            ),
          },
          {
            key: 'events',
            title: t('evidence.findings.events'),
            width: 100,
            align: 'right',
            render: (_, f) => <span data-testid="finding-events">{f.evidence?.total ?? 0}</span>,
          },
          {
            key: 'span',
            title: t('evidence.findings.span'),
            width: 200,
            render: (_, f) => (f.evidence?.firstTime ? `${formatDateTime(f.evidence.firstTime)}${f.evidence.lastTime && f.evidence.lastTime !== f.evidence.firstTime ? ` – ${formatDateTime(f.evidence.lastTime)}` : ''}` : '—'),
          },
        ]}
      />
    </Card>
  );
}
