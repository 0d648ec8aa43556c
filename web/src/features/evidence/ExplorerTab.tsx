import { DeleteOutlined, FileSearchOutlined, FlagOutlined, ReloadOutlined, SaveOutlined, SearchOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Empty, Form, Input, Modal, Radio, Row, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api/client';
import { useSession } from '../../app/session';
import { EChart } from '../../components/EChart';
import { currentLocale } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import {
  cleanFilters,
  evidenceKeys,
  FILTER_KEYS,
  SEVERITIES,
  useEventSearch,
  useHistogram,
  usePivots,
  useRawLine,
  useSavedSearches,
  type EvidenceEvent,
  type SearchFilters,
  type Severity,
} from './api';
import { BUCKET_MS, histogramOption, histogramSlots } from './histogram';

const PAGE_SIZE = 25;

interface FilterValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  host?: string;
  type?: string;
  user?: string;
  ip?: string;
  text?: string;
}

function toValues(f: SearchFilters): FilterValues {
  return { range: f.from || f.to ? [f.from ? dayjs(f.from) : null, f.to ? dayjs(f.to) : null] : null, host: f.host, type: f.type, user: f.user, ip: f.ip, text: f.text };
}

function toFilters(v: FilterValues, evidenceId?: string): SearchFilters {
  return cleanFilters({
    from: v.range?.[0]?.toISOString(),
    to: v.range?.[1]?.toISOString(),
    host: v.host,
    type: v.type,
    user: v.user,
    ip: v.ip,
    text: v.text,
    evidenceId,
  });
}

/** The original line(s) of an event as read back from its evidence file (the read is in its chain of custody). */
function RawLineView({ event }: { event: EvidenceEvent }) {
  const { t } = useTranslation();
  const raw = useRawLine(event.id);
  if (raw.isError) return <Alert type="error" showIcon title={errorText(raw.error)} />;
  if (!raw.data) return <Spin size="small" />;
  const fields = Object.entries(event.fields);
  return (
    <div data-testid="event-raw" data-event={event.id}>
      <Typography.Text type="secondary">{t('evidence.events.rawFrom', { file: raw.data.filename, line: raw.data.lineNo })}</Typography.Text>
      <pre className="fd-raw-line" data-testid="event-raw-text" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', background: '#f6f8fa', padding: 8, margin: '4px 0', fontSize: 12 }}>
        {raw.data.text}
      </pre>
      {fields.length > 0 && (
        <Space size={[4, 4]} wrap>
          {fields.map(([k, v]) => (
            <Tag key={k} style={{ fontFamily: 'monospace' }}>
              {k}={typeof v === 'string' ? v : JSON.stringify(v)}
            </Tag>
          ))}
        </Space>
      )}
    </div>
  );
}

interface FindingValues {
  title: string;
  details?: string;
  severity: Severity;
}

/** 生成发现: a finding on the timeline resting on the picked events. */
function MakeFindingModal({ caseId, eventIds, open, onClose, onMade }: { caseId: string; eventIds: number[]; open: boolean; onClose: () => void; onMade: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FindingValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (values: FindingValues) => {
    setBusy(true);
    setError(null);
    try {
      const text = [values.title.trim(), values.details?.trim()].filter(Boolean).join('\n');
      await api(`/cases/${caseId}/findings`, { method: 'POST', body: { text, eventIds, severity: values.severity } });
      await queryClient.invalidateQueries({ queryKey: evidenceKeys.findings(caseId) });
      message.success(t('evidence.finding.made', { count: eventIds.length }));
      form.resetFields();
      onMade();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('evidence.finding.title', { count: eventIds.length })}
      onCancel={onClose}
      okText={t('evidence.finding.submit')}
      okButtonProps={{ loading: busy, 'data-testid': 'finding-submit' } as ButtonProps}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<FindingValues> form={form} layout="vertical" name="finding" initialValues={{ severity: 'medium' }} onFinish={(v) => void submit(v)}>
        <Form.Item name="title" label={t('evidence.finding.fieldTitle')} rules={[{ required: true, whitespace: true, message: t('evidence.required') }]}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="details" label={t('evidence.finding.details')}>
          <Input.TextArea rows={3} maxLength={3500} />
        </Form.Item>
        <Form.Item name="severity" label={t('evidence.finding.severity')}>
          <Radio.Group
            id="finding_severity"
            optionType="button"
            buttonStyle="solid"
            options={SEVERITIES.map((s) => ({ value: s, label: t(`evidence.severity.${s}`) }))}
            data-testid="finding-severity-choice"
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="finding-error" />}
    </Modal>
  );
}

/** A clickable list of values with counts (top users, addresses): a click filters on the value. */
function PivotList({ title, items, onPick, testId }: { title: string; items: { value: string; count: number; note?: string }[]; onPick: (value: string) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <div style={{ marginBottom: 12 }} data-testid={testId}>
      <Typography.Text strong>{title}</Typography.Text>
      {items.length === 0 ? (
        <div>
          <Typography.Text type="secondary">{t('evidence.pivots.none')}</Typography.Text>
        </div>
      ) : (
        <div style={{ marginTop: 4 }}>
          {items.map((item) => (
            <div key={item.value} style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
              <Typography.Link onClick={() => onPick(item.value)} data-testid="pivot-value" data-value={item.value} ellipsis style={{ maxWidth: '70%' }}>
                {item.value}
              </Typography.Link>
              <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                {item.note ? `${item.note} · ` : ''}
                {item.count}
              </Typography.Text>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** 事件检索: search the case's events, see them over time, pivot on users and addresses, save searches, make findings. */
export function ExplorerTab({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const canAdd = can('evidence.add');
  const [form] = Form.useForm<FilterValues>();
  const [filters, setFilters] = useState<SearchFilters>({});
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  const [findingOpen, setFindingOpen] = useState(false);
  const [saveOpen, setSaveOpen] = useState(false);
  const [saveName, setSaveName] = useState('');
  const [saveGlobal, setSaveGlobal] = useState(false);
  const [saving, setSaving] = useState(false);

  const search = useEventSearch(caseId, filters, page, PAGE_SIZE);
  const histogram = useHistogram(caseId, filters);
  const pivots = usePivots(caseId, filters);
  const saved = useSavedSearches(caseId);
  const locale = currentLocale() === 'en' ? 'EN' : 'ZH';

  const apply = (next: SearchFilters) => {
    const clean = cleanFilters(next);
    form.setFieldsValue({ range: null, host: undefined, type: undefined, user: undefined, ip: undefined, text: undefined, ...toValues(clean) });
    setFilters(clean);
    setPage(1);
    setSelected([]);
  };

  const slots = useMemo(() => (histogram.data ? histogramSlots(histogram.data) : []), [histogram.data]);
  const option = useMemo(() => (histogram.data ? histogramOption(histogram.data, slots, { events: t('evidence.events.count') }) : null), [histogram.data, slots, t]);
  const narrowTo = (index: number) => {
    const h = histogram.data;
    const b = slots[index];
    if (!h || !b) return;
    const from = new Date(b.at);
    const to = new Date(from.getTime() + BUCKET_MS[h.bucket] - 1);
    apply({ ...filters, from: from.toISOString(), to: to.toISOString() });
  };

  const saveCurrent = async () => {
    setSaving(true);
    try {
      const query = Object.fromEntries(FILTER_KEYS.filter((k) => filters[k]).map((k) => [k, filters[k]]));
      await api(`/cases/${caseId}/saved-searches`, { method: 'POST', body: { name: saveName.trim(), query, global: saveGlobal || undefined } });
      await queryClient.invalidateQueries({ queryKey: evidenceKeys.saved(caseId) });
      message.success(t('common.saved'));
      setSaveOpen(false);
      setSaveName('');
      setSaveGlobal(false);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  const deleteSaved = (id: string, name: string) =>
    modal.confirm({
      title: t('evidence.saved.deleteConfirm', { name }),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await api(`/saved-searches/${id}`, { method: 'DELETE' });
          await queryClient.invalidateQueries({ queryKey: evidenceKeys.saved(caseId) });
        } catch (error) {
          message.error(errorText(error));
        }
      },
    });

  const active = Object.keys(filters).length > 0;
  const searchError = search.error ?? histogram.error ?? pivots.error;

  return (
    <div data-testid="evidence-explorer">
      <Card variant="borderless" size="small" style={{ marginBottom: 16 }}>
        <Form<FilterValues> form={form} layout="vertical" name="eventFilters" onFinish={(v) => apply(toFilters(v, filters.evidenceId))}>
          <Row gutter={12}>
            <Col xs={24} lg={10}>
              <Form.Item name="range" label={t('evidence.filters.range')}>
                <DatePicker.RangePicker showTime allowEmpty={[true, true]} style={{ width: '100%' }} data-testid="filter-range" />
              </Form.Item>
            </Col>
            <Col xs={12} lg={7}>
              <Form.Item name="host" label={t('evidence.filters.host')}>
                <Input allowClear placeholder={t('evidence.filters.listHint')} />
              </Form.Item>
            </Col>
            <Col xs={12} lg={7}>
              <Form.Item name="type" label={t('evidence.filters.type')}>
                <Input allowClear placeholder="auth.failure,auth.success" />
              </Form.Item>
            </Col>
            <Col xs={12} lg={5}>
              <Form.Item name="user" label={t('evidence.filters.user')}>
                <Input allowClear placeholder={t('evidence.filters.listHint')} />
              </Form.Item>
            </Col>
            <Col xs={12} lg={5}>
              <Form.Item name="ip" label={t('evidence.filters.ip')}>
                <Input allowClear placeholder="10.0.0.0/8" />
              </Form.Item>
            </Col>
            <Col xs={24} lg={14}>
              <Form.Item name="text" label={t('evidence.filters.text')}>
                <Input allowClear placeholder={t('evidence.filters.textHint')} />
              </Form.Item>
            </Col>
          </Row>
          <Space wrap>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="filter-search">
              {t('evidence.filters.search')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => apply({})} disabled={!active} data-testid="filter-reset">
              {t('evidence.filters.reset')}
            </Button>
            {canAdd && (
              <Button icon={<SaveOutlined />} onClick={() => setSaveOpen(true)} disabled={!active} data-testid="saved-search-save">
                {t('evidence.saved.save')}
              </Button>
            )}
            {filters.evidenceId && (
              <Tag closable onClose={() => apply({ ...filters, evidenceId: undefined })}>
                {t('evidence.filters.oneFile')}
              </Tag>
            )}
          </Space>
        </Form>
        <div style={{ marginTop: 12 }} data-testid="saved-searches">
          <Typography.Text type="secondary" style={{ marginRight: 8 }}>
            {t('evidence.saved.title')}
          </Typography.Text>
          {(saved.data ?? []).length === 0 && <Typography.Text type="secondary">{t('evidence.saved.none')}</Typography.Text>}
          {(saved.data ?? []).map((s) => (
            <Tag key={s.id} color={s.incidentId ? 'blue' : 'geekblue'} style={{ cursor: 'pointer', marginBottom: 4 }} data-testid="saved-search" data-name={s.name}>
              <span onClick={() => apply(s.query as SearchFilters)} data-testid="saved-search-apply">
                {s.name}
                {!s.incidentId && ` · ${t('evidence.saved.global')}`}
              </span>
              {canAdd && (
                <Tooltip title={t('common.delete')}>
                  <DeleteOutlined style={{ marginInlineStart: 6 }} onClick={() => deleteSaved(s.id, s.name)} data-testid="saved-search-delete" />
                </Tooltip>
              )}
            </Tag>
          ))}
        </div>
      </Card>

      {searchError && <Alert type="error" showIcon title={errorText(searchError)} style={{ marginBottom: 16 }} data-testid="explorer-error" />}

      <Card variant="borderless" size="small" title={t('evidence.events.histogram')} style={{ marginBottom: 16 }} extra={<Typography.Text type="secondary">{t('evidence.events.histogramHint')}</Typography.Text>}>
        {option && histogram.data!.buckets.length > 0 ? (
          <EChart option={option} height={200} locale={locale} testId="events-histogram" ariaLabel={t('evidence.events.histogram')} onItemClick={narrowTo} />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('evidence.events.none')} />
        )}
      </Card>
      <Card variant="borderless" size="small" title={t('evidence.pivots.title')} style={{ marginBottom: 16 }} data-testid="pivots">
        {pivots.data ? (
          <Row gutter={24}>
            <Col xs={24} md={12} xl={5}>
              <PivotList title={t('evidence.pivots.users')} testId="pivot-users" items={pivots.data.users} onPick={(v) => apply({ ...filters, user: v })} />
            </Col>
            <Col xs={24} md={12} xl={6}>
              <PivotList title={t('evidence.pivots.ips')} testId="pivot-ips" items={pivots.data.ips} onPick={(v) => apply({ ...filters, ip: v })} />
            </Col>
            <Col xs={24} md={12} xl={8}>
              <PivotList
                title={t('evidence.pivots.firstSeen')}
                testId="pivot-first-seen"
                items={pivots.data.firstSeenIps.map((p) => ({ value: p.value, count: p.count, note: formatDateTime(p.firstSeen) }))}
                onPick={(v) => apply({ ...filters, ip: v })}
              />
            </Col>
            <Col xs={24} md={12} xl={5}>
              <PivotList title={t('evidence.pivots.types')} testId="pivot-types" items={pivots.data.types} onPick={(v) => apply({ ...filters, type: v })} />
            </Col>
          </Row>
        ) : (
          <Spin size="small" />
        )}
      </Card>
      <Card
        variant="borderless"
        size="small"
        title={
          <span data-testid="events-total" data-total={search.data?.total ?? ''}>
            {search.data ? t('evidence.events.total', { count: search.data.total }) : t('evidence.events.title')}
          </span>
        }
        extra={
          canAdd && (
            <Button type="primary" icon={<FlagOutlined />} disabled={selected.length === 0} onClick={() => setFindingOpen(true)} data-testid="make-finding">
              {t('evidence.finding.make', { count: selected.length })}
            </Button>
          )
        }
      >
        <Table<EvidenceEvent>
          rowKey="id"
          size="small"
          loading={search.isFetching}
          dataSource={search.data?.events ?? []}
          scroll={{ x: 1000 }}
          onRow={(e) => ({ 'data-testid': 'event-row', 'data-event': e.id }) as React.HTMLAttributes<HTMLElement>}
          rowSelection={canAdd ? { selectedRowKeys: selected, preserveSelectedRowKeys: true, onChange: (keys) => setSelected(keys as number[]) } : undefined}
          expandable={{ expandedRowRender: (e) => <RawLineView event={e} />, columnTitle: <FileSearchOutlined title={t('evidence.events.raw')} /> }}
          locale={{ emptyText: t('evidence.events.none') }}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: search.data?.total ?? 0, showSizeChanger: false, onChange: (p) => setPage(p), showTotal: (total) => t('evidence.events.total', { count: total }) }}
          columns={[
            { key: 'time', title: t('evidence.events.time'), width: 170, render: (_, e) => (e.time ? formatDateTime(e.time) : '—') },
            { key: 'host', title: t('evidence.filters.host'), width: 120, render: (_, e) => e.host ?? '—' },
            { key: 'type', title: t('evidence.filters.type'), width: 140, render: (_, e) => <Tag>{e.type}</Tag> },
            {
              key: 'user',
              title: t('evidence.filters.user'),
              width: 110,
              render: (_, e) => (e.user ? <Typography.Link onClick={() => apply({ ...filters, user: e.user! })}>{e.user}</Typography.Link> : '—'),
            },
            {
              key: 'ip',
              title: t('evidence.events.srcIp'),
              width: 140,
              render: (_, e) => (e.srcIp ? <Typography.Link onClick={() => apply({ ...filters, ip: e.srcIp! })}>{e.srcIp}</Typography.Link> : '—'),
            },
            { key: 'outcome', title: t('evidence.events.outcome'), width: 90, render: (_, e) => e.outcome ?? '—' },
            { key: 'message', title: t('evidence.events.message'), render: (_, e) => <span data-testid="event-message">{e.message}</span> },
          ]}
        />
      </Card>

      <MakeFindingModal
        caseId={caseId}
        eventIds={selected}
        open={findingOpen}
        onClose={() => setFindingOpen(false)}
        onMade={() => {
          setFindingOpen(false);
          setSelected([]);
        }}
      />
      <Modal
        open={saveOpen}
        title={t('evidence.saved.save')}
        onCancel={() => setSaveOpen(false)}
        onOk={() => void saveCurrent()}
        okButtonProps={{ disabled: !saveName.trim(), loading: saving, 'data-testid': 'saved-search-confirm' } as ButtonProps}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t('evidence.saved.name')} required>
            <Input value={saveName} maxLength={200} onChange={(e) => setSaveName(e.target.value)} data-testid="saved-search-name" />
          </Form.Item>
          <Checkbox checked={saveGlobal} onChange={(e) => setSaveGlobal(e.target.checked)}>
            {t('evidence.saved.globalHint')}
          </Checkbox>
        </Form>
      </Modal>
    </div>
  );
}
