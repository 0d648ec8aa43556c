import { CloudUploadOutlined, EditOutlined, SaveOutlined, SwapOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Flex, Input, List, Result, Row, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { api, errorText } from '../../api/client';
import type { PlanContent, PlanDiffChange, PlanVersion } from '../../api/types';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { formatDateTime } from '../../lib/format';
import { taxonomyLabels, useTaxonomy } from '../timeline/api';
import { EMPTY_CONTENT, planKeys, usePlan, usePlanDiff, usePlanVersion } from './api';
import { useActivePeople } from '../org/api';
import { PlanContentView, PlanEditor, useGroupOptions } from './PlanEditor';

/** Drops the rows left empty in the editor (the server refuses blank titles and texts). */
function clean(content: PlanContent): PlanContent {
  return {
    ...content,
    procedures: content.procedures.map((p) => ({ ...p, steps: p.steps.filter((s) => s.text.trim()) })),
    escalationRules: content.escalationRules.filter((r) => r.recipient.trim()),
    contacts: content.contacts.filter((c) => c.label.trim()),
  };
}

function showValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** One segment of a diff path: `escalationRules[report-gm]` → name escalationRules, index report-gm. */
function parsePath(path: string): { name: string; index?: string }[] {
  return path.split('.').map((part) => {
    const m = /^([a-zA-Z]+)(?:\[([^\]]+)\])?$/.exec(part);
    return m ? { name: m[1], index: m[2] } : { name: part };
  });
}

/**
 * Readable labels for the server's storage paths (`escalationRules[report-gm].withinMinutes` →
 * 上报规则 · 总经理 · 时限（分钟）) and values (keys → names), from the two versions compared.
 */
function useDiffLabels(planId: string, from: number | undefined, to: number | undefined) {
  const { t } = useTranslation();
  const labels = taxonomyLabels(useTaxonomy().data);
  const groups = useGroupOptions();
  const people = useActivePeople();
  const before = usePlanVersion(planId, from).data?.content;
  const after = usePlanVersion(planId, to).data?.content;
  const contents = [after, before].filter((c): c is PlanContent => !!c);
  const procedure = (key: string) => contents.map((c) => c.procedures?.find((p) => p.key === key)).find(Boolean);
  const rule = (key: string) => contents.map((c) => c.escalationRules?.find((r) => r.key === key)).find(Boolean);
  const contact = (i: number) => contents.map((c) => c.contacts?.[i]).find(Boolean);
  const field = (name: string) => t(`plan.paths.${name}`, { defaultValue: name });
  const nth = (index: string) => t('plan.paths.nth', { n: Number(index) + 1 });

  const path = (raw: string): string => {
    const parts = parsePath(raw);
    const out: string[] = [];
    let proc: string | undefined;
    for (const { name, index } of parts) {
      if (index === undefined) {
        out.push(field(name));
        continue;
      }
      if (name === 'procedures') {
        proc = index;
        out.push(`${field(name)} · ${procedure(index)?.title || index}`);
      } else if (name === 'steps') {
        const steps = proc ? procedure(proc)?.steps ?? [] : [];
        const at = steps.findIndex((s) => s.key === index);
        out.push(at >= 0 ? t('plan.paths.stepN', { n: at + 1 }) : field(name));
      } else if (name === 'escalationRules') {
        out.push(`${field(name)} · ${rule(index)?.recipient || index}`);
      } else if (name === 'contacts') {
        out.push(`${field(name)} · ${contact(Number(index))?.label || nth(index)}`);
      } else if (name === 'requiredFields' || name === 'groupIds') {
        out.push(field(name));
      } else {
        out.push(`${field(name)} · ${nth(index)}`);
      }
    }
    return out.join(' · ');
  };

  const value = (v: unknown, raw: string): string => {
    const last = parsePath(raw).at(-1)?.name ?? '';
    const one = (x: unknown): string => {
      if (typeof x !== 'string' && typeof x !== 'number') return showValue(x);
      const s = String(x);
      switch (last) {
        case 'requiredFields':
          return labels.field(s);
        case 'groupIds':
          return groups.find((g) => g.value === s)?.label ?? s;
        case 'recipientPersonId':
        case 'personId':
          return people.data?.find((p) => p.id === s)?.name ?? s;
        case 'role':
          return t(`drillRoles.${s}`, { defaultValue: s });
        case 'trigger':
          return t(`plan.triggers.${s}`, { defaultValue: s });
        case 'channel':
          return t(`reportChannels.${s}`, { defaultValue: s });
        case 'category':
          return labels.category(s);
        case 'minLevel':
          return labels.level(s);
        case 'withinMinutes':
          return t('plan.minutes', { count: Number(x) });
        default:
          return s;
      }
    };
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.length ? v.map(one).join('、') : t('common.none');
    return one(v);
  };
  return { path, value };
}

/** The changes between two versions as a table: where, what kind, before → after. */
function DiffView({ planId, numbers }: { planId: string; numbers: number[] }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState<number | undefined>(numbers.length > 1 ? numbers[numbers.length - 2] : undefined);
  const [to, setTo] = useState<number | undefined>(numbers.length > 0 ? numbers[numbers.length - 1] : undefined);
  // A version published (or a draft opened) while the page is open: compare the newest two again.
  const newest = numbers.join(',');
  useEffect(() => {
    setFrom(numbers.length > 1 ? numbers[numbers.length - 2] : undefined);
    setTo(numbers.length > 0 ? numbers[numbers.length - 1] : undefined);
  }, [newest]);
  const diff = usePlanDiff(planId, from, to);
  const names = useDiffLabels(planId, from, to);
  // The items' keys are internal: an added or removed item shows through its fields.
  const changes = (diff.data ?? []).filter((c) => !c.path.endsWith('.key'));
  const options = numbers.map((n) => ({ value: n, label: `v${n}` }));
  return (
    <div data-testid="plan-diff">
      <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
        <Select value={from} onChange={setFrom} options={options} style={{ width: 100 }} data-testid="diff-from" />
        <SwapOutlined />
        <Select value={to} onChange={setTo} options={options} style={{ width: 100 }} data-testid="diff-to" />
      </Flex>
      {numbers.length < 2 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plans.diffNeedsTwo')} />
      ) : diff.isError ? (
        <Alert type="error" showIcon title={errorText(diff.error)} />
      ) : (
        <Table<PlanDiffChange>
          rowKey="path"
          size="small"
          loading={diff.isFetching}
          dataSource={changes}
          pagination={false}
          onRow={(c) => ({ 'data-testid': 'diff-row', 'data-path': c.path, 'data-kind': c.kind }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: from === to ? t('plans.diffSame') : t('plans.diffNone') }}
          columns={[
            { title: t('plans.diffPath'), dataIndex: 'path', width: 320, render: (p: string) => <span title={p} data-testid="diff-path">{names.path(p)}</span> },
            { title: t('plans.diffKind'), dataIndex: 'kind', width: 90, render: (k: string) => <Tag color={k === 'added' ? 'green' : k === 'removed' ? 'red' : 'blue'}>{t(`plans.diffKinds.${k}`)}</Tag> },
            {
              title: `${t('plans.before')} → ${t('plans.after')}`,
              render: (_, c) => (
                <Flex vertical gap={2}>
                  {c.kind !== 'added' && <span className="fd-diff-before" data-testid="diff-before">{names.value(c.before, c.path)}</span>}
                  {c.kind !== 'removed' && <span className="fd-diff-after" data-testid="diff-after">{names.value(c.after, c.path)}</span>}
                </Flex>
              ),
            },
          ]}
          data-testid="diff-table"
        />
      )}
    </div>
  );
}

/** 预案: one plan — its version history, the draft editor, publishing and the comparison of versions. */
export function PlanPage() {
  const { planId = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const plan = usePlan(planId);
  const versions = plan.data?.versions ?? [];
  const draft = versions.find((v) => v.status === 'draft');
  const published = versions.filter((v) => v.status === 'published').sort((a, b) => a.number - b.number);
  const [selected, setSelected] = useState<number | undefined>();
  const current = selected ?? draft?.number ?? published[published.length - 1]?.number;
  const version = usePlanVersion(planId, current);
  const [editing, setEditing] = useState<PlanContent | null>(null);
  const [changeNote, setChangeNote] = useState('');
  const [busy, setBusy] = useState(false);
  const canWrite = can('plan.write');
  const isDraft = version.data?.status === 'draft';

  useEffect(() => {
    setEditing(null);
  }, [current]);

  if (plan.isError) return <Result status="warning" title={errorText(plan.error)} />;
  if (!plan.data) return <Skeleton active />;

  const refresh = () => queryClient.invalidateQueries({ queryKey: planKeys.all });
  const saveDraft = async (content: PlanContent) => {
    setBusy(true);
    try {
      const saved = await api<PlanVersion>(`/plans/${planId}/draft`, { method: 'PUT', body: { content: clean(content), ...(changeNote.trim() ? { changeNote: changeNote.trim() } : {}) } });
      message.success(t('plans.draftSaved', { n: saved.number }));
      await refresh();
      setSelected(saved.number);
      setEditing(null);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  const publish = () =>
    modal.confirm({
      title: t('plans.publishConfirm', { n: draft?.number }),
      content: t('plans.publishHint'),
      okText: t('plans.publish'),
      okButtonProps: { 'data-testid': 'plan-publish-ok' } as never,
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const saved = await api<PlanVersion>(`/plans/${planId}/publish`, { method: 'POST', body: changeNote.trim() ? { changeNote: changeNote.trim() } : {} });
          message.success(t('plans.published', { n: saved.number }));
          await refresh();
          setSelected(saved.number);
        } catch (error) {
          message.error(errorText(error));
        }
      },
    });

  const contentTab = !version.data ? (
    <Skeleton active />
  ) : editing ? (
    <>
      <PlanEditor value={editing} onChange={setEditing} />
      <Card size="small" style={{ marginTop: 16 }}>
        <Flex gap={8} wrap align="center">
          <Input value={changeNote} onChange={(e) => setChangeNote(e.target.value)} placeholder={t('plans.changeNote')} style={{ flex: 1, minWidth: 240 }} maxLength={2000} />
          <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
          <Button type="primary" icon={<SaveOutlined />} loading={busy} onClick={() => void saveDraft(editing)} data-testid="plan-save-draft">
            {t('plans.saveDraft')}
          </Button>
        </Flex>
      </Card>
    </>
  ) : (
    <>
      {version.data.status === 'published' && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('plans.readOnlyPublished', { n: version.data.number, at: formatDateTime(version.data.publishedAt) })} />}
      <PlanContentView content={{ ...EMPTY_CONTENT, ...version.data.content }} />
    </>
  );

  return (
    <PageContainer
      testId="plan-page"
      title={
        <Space>
          {plan.data.title}
          {plan.data.publishedNumber !== null ? <Tag color="green">{t('plans.publishedV', { n: plan.data.publishedNumber })}</Tag> : <Tag>{t('plans.unpublished')}</Tag>}
          {draft && <Tag color="orange">{t('plans.draft')}</Tag>}
        </Space>
      }
      description={t('plans.pageDescription')}
      card={false}
      extra={
        canWrite && (
          <Space>
            {!editing && version.data && (
              <Button icon={<EditOutlined />} onClick={() => setEditing({ ...EMPTY_CONTENT, ...version.data!.content })} data-testid="plan-edit">
                {isDraft ? t('plans.editDraft') : t('plans.revise')}
              </Button>
            )}
            {draft && !editing && (
              <Button type="primary" icon={<CloudUploadOutlined />} onClick={publish} data-testid="plan-publish">
                {t('plans.publish')}
              </Button>
            )}
          </Space>
        )
      }
    >
      <Row gutter={16}>
        {/* Editing takes the whole width: the escalation table has many columns. */}
        <Col xs={24} lg={6} style={editing ? { display: 'none' } : undefined}>
          <Card variant="borderless" size="small" title={t('plans.versions')}>
            <List
              size="small"
              dataSource={[...versions].sort((a, b) => b.number - a.number)}
              renderItem={(v) => (
                <List.Item onClick={() => setSelected(v.number)} style={{ cursor: 'pointer', background: v.number === current ? '#e6f4ff' : undefined, paddingInline: 8 }} data-testid="plan-version" data-number={v.number} data-status={v.status}>
                  <List.Item.Meta
                    title={
                      <Space>
                        <span>v{v.number}</span>
                        <Tag color={v.status === 'draft' ? 'orange' : 'green'}>{v.status === 'draft' ? t('plans.draft') : t('plans.publishedTag')}</Tag>
                      </Space>
                    }
                    description={
                      <>
                        <div>{v.publishedAt ? formatDateTime(v.publishedAt) : formatDateTime(v.updatedAt)}</div>
                        {v.changeNote && <Typography.Text type="secondary">{v.changeNote}</Typography.Text>}
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={editing ? 24 : 18}>
          <Card variant="borderless">
            <Tabs
              items={[
                { key: 'content', label: current ? t('plans.versionTab', { n: current }) : t('plans.content'), children: contentTab },
                { key: 'diff', label: <span data-testid="plan-compare-tab">{t('plans.compare')}</span>, children: <DiffView planId={planId} numbers={versions.map((v) => v.number).sort((a, b) => a - b)} /> },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
