import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Empty, Flex, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  DRILL_ROLES,
  ESCALATION_TRIGGERS,
  INCIDENT_LEVELS,
  REPORT_CHANNELS,
  SEED_REPORT_FIELDS,
  type EscalationRule,
  type PlanContact,
  type PlanContent,
  type Procedure,
} from '../../api/types';
import { listGroups, orgKeys, personLabel, useActivePeople } from '../org/api';
import { loc, taxonomyLabels, useTaxonomy } from '../timeline/api';

/** A new lower-case key not yet used in a list. */
export function freshKey(prefix: string, taken: string[]): string {
  let n = taken.length + 1;
  while (taken.includes(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}

export function useGroupOptions() {
  const groups = useQuery({ queryKey: orgKeys.groups('false'), queryFn: () => listGroups('false') });
  return (groups.data?.groups ?? []).map((g) => ({ value: g.id, label: g.name }));
}

/** The plan content editor: guiding principle, scope, working groups, procedures, escalation rules, contacts. */
export function PlanEditor({ value, onChange }: { value: PlanContent; onChange: (next: PlanContent) => void }) {
  const { t } = useTranslation();
  const taxonomy = useTaxonomy();
  const people = useActivePeople();
  const groupOptions = useGroupOptions();
  const personOptions = (people.data ?? []).map((p) => ({ value: p.id, label: personLabel(p) }));
  const fieldOptions = (taxonomy.data?.reportFields ?? SEED_REPORT_FIELDS.map((k) => ({ key: k, name: { 'zh-CN': k, en: k } }))).map((f) => ({ value: f.key, label: loc(f.name) }));
  const categoryOptions = (taxonomy.data?.categories ?? []).map((c) => ({ value: c.key, label: loc(c.name) }));
  const set = <K extends keyof PlanContent>(key: K, v: PlanContent[K]) => onChange({ ...value, [key]: v });
  const setProcedure = (i: number, p: Procedure) => set('procedures', value.procedures.map((x, j) => (j === i ? p : x)));
  const setRule = (i: number, patch: Partial<EscalationRule>) => set('escalationRules', value.escalationRules.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const setContact = (i: number, patch: Partial<PlanContact>) => set('contacts', value.contacts.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  return (
    <div data-testid="plan-editor">
      <Form layout="vertical">
        <Form.Item label={t('plan.guidingPrinciple')}>
          <Input.TextArea value={value.guidingPrinciple} onChange={(e) => set('guidingPrinciple', e.target.value)} autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} placeholder={t('plan.guidingPrinciplePlaceholder')} data-testid="plan-guiding" />
        </Form.Item>
        <Form.Item label={t('plan.scope')}>
          <Input.TextArea value={value.scope} onChange={(e) => set('scope', e.target.value)} autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} />
        </Form.Item>
        <Form.Item label={t('plan.groups')}>
          <Select mode="multiple" value={value.groupIds} onChange={(v) => set('groupIds', v)} options={groupOptions} placeholder={t('plan.groupsPlaceholder')} />
        </Form.Item>
      </Form>

      <Typography.Title level={5}>{t('plan.procedures')}</Typography.Title>
      {value.procedures.map((proc, i) => (
        <Card key={proc.key} size="small" style={{ marginBottom: 12 }} data-testid="procedure-card" title={
          <Flex gap={8} wrap>
            <Input value={proc.title} onChange={(e) => setProcedure(i, { ...proc, title: e.target.value })} placeholder={t('plan.procedureTitle')} style={{ maxWidth: 320 }} data-testid="procedure-title" />
            <Select allowClear value={proc.category} onChange={(v) => setProcedure(i, { ...proc, category: v })} options={categoryOptions} placeholder={t('plan.procedureCategory')} style={{ width: 200 }} />
            <Select allowClear value={proc.minLevel} onChange={(v) => setProcedure(i, { ...proc, minLevel: v })} options={INCIDENT_LEVELS.map((l) => ({ value: l, label: t('plan.levelAtLeast', { level: l }) }))} placeholder={t('plan.minLevel')} style={{ width: 140 }} />
          </Flex>
        } extra={<Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => set('procedures', value.procedures.filter((_, j) => j !== i))} />}>
          {proc.steps.map((step, k) => (
            <Flex key={step.key} gap={8} style={{ marginBottom: 6 }} data-testid="procedure-step">
              <Typography.Text type="secondary" style={{ width: 24, paddingTop: 5 }}>{k + 1}.</Typography.Text>
              <Select value={step.role} style={{ width: 130 }} data-testid="step-role" onChange={(role) => setProcedure(i, { ...proc, steps: proc.steps.map((s, m) => (m === k ? { ...s, role } : s)) })} options={[...DRILL_ROLES, 'all' as const].map((r) => ({ value: r, label: t(`drillRoles.${r}`) }))} />
              <Input value={step.text} onChange={(e) => setProcedure(i, { ...proc, steps: proc.steps.map((s, m) => (m === k ? { ...s, text: e.target.value } : s)) })} placeholder={t('plan.stepText')} data-testid="step-text" />
              <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => setProcedure(i, { ...proc, steps: proc.steps.filter((_, m) => m !== k) })} />
            </Flex>
          ))}
          <Button size="small" icon={<PlusOutlined />} data-testid="procedure-add-step" onClick={() => setProcedure(i, { ...proc, steps: [...proc.steps, { key: freshKey('step', proc.steps.map((s) => s.key)), role: 'responder', text: '' }] })}>
            {t('plan.addStep')}
          </Button>
        </Card>
      ))}
      <Button icon={<PlusOutlined />} onClick={() => set('procedures', [...value.procedures, { key: freshKey('procedure', value.procedures.map((p) => p.key)), title: '', steps: [] }])} data-testid="plan-add-procedure">
        {t('plan.addProcedure')}
      </Button>

      <Typography.Title level={5} style={{ marginTop: 24 }}>{t('plan.escalationRules')}</Typography.Title>
      <Table<EscalationRule>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={value.escalationRules}
        onRow={(r) => ({ 'data-testid': 'rule-row', 'data-rule': r.key }) as React.HTMLAttributes<HTMLElement>}
        scroll={{ x: 1100 }}
        locale={{ emptyText: t('plan.noRules') }}
        columns={[
          { title: t('plan.rule.recipient'), width: 240, render: (_, r, i) => (
            <Flex vertical gap={4}>
              <Input value={r.recipient} onChange={(e) => setRule(i, { recipient: e.target.value })} placeholder={t('plan.recipientPlaceholder')} data-testid="rule-recipient" />
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} value={r.recipientPersonId} onChange={(v) => setRule(i, { recipientPersonId: v })} options={personOptions} placeholder={t('plan.recipientPerson')} size="small" />
            </Flex>
          ) },
          { title: t('plan.rule.trigger'), width: 170, render: (_, r, i) => (
            <Flex vertical gap={4}>
              <Select value={r.trigger} style={{ width: 160 }} onChange={(v) => setRule(i, { trigger: v })} options={ESCALATION_TRIGGERS.map((x) => ({ value: x, label: t(`plan.triggers.${x}`) }))} />
              <Select allowClear size="small" value={r.minLevel} style={{ width: 160 }} onChange={(v) => setRule(i, { minLevel: v })} options={INCIDENT_LEVELS.map((l) => ({ value: l, label: t('plan.levelAtLeast', { level: l }) }))} placeholder={t('plan.minLevel')} />
            </Flex>
          ) },
          { title: t('plan.rule.within'), width: 110, render: (_, r, i) => <InputNumber min={1} max={43200} value={r.withinMinutes} onChange={(v) => setRule(i, { withinMinutes: v ?? 1 })} addonAfter={t('plan.min')} style={{ width: 100 }} data-testid="rule-minutes" /> },
          { title: t('plan.rule.channel'), width: 120, render: (_, r, i) => <Select value={r.channel} style={{ width: 110 }} onChange={(v) => setRule(i, { channel: v })} options={REPORT_CHANNELS.map((c) => ({ value: c, label: t(`reportChannels.${c}`) }))} /> },
          { title: t('plan.rule.fields'), render: (_, r, i) => <Select mode="tags" value={r.requiredFields} style={{ width: '100%', minWidth: 240 }} onChange={(v) => setRule(i, { requiredFields: v })} options={fieldOptions} data-testid="rule-fields" /> },
          { width: 50, render: (_, _r, i) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => set('escalationRules', value.escalationRules.filter((_, j) => j !== i))} /> },
        ]}
      />
      <Button
        icon={<PlusOutlined />}
        style={{ marginTop: 8 }}
        onClick={() =>
          set('escalationRules', [
            ...value.escalationRules,
            { key: freshKey('rule', value.escalationRules.map((r) => r.key)), trigger: 'incident_detected', recipient: '', withinMinutes: 10, channel: 'verbal', requiredFields: [...SEED_REPORT_FIELDS] },
          ])
        }
        data-testid="plan-add-rule"
      >
        {t('plan.addRule')}
      </Button>

      <Typography.Title level={5} style={{ marginTop: 24 }}>{t('plan.contacts')}</Typography.Title>
      {value.contacts.map((c, i) => (
        <Flex key={i} gap={8} style={{ marginBottom: 6 }} wrap>
          <Input value={c.label} onChange={(e) => setContact(i, { label: e.target.value })} placeholder={t('plan.contactLabel')} style={{ width: 200 }} />
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} value={c.personId} onChange={(v) => setContact(i, { personId: v })} options={personOptions} placeholder={t('plan.contactPerson')} style={{ width: 200 }} />
          <Input value={c.phone} onChange={(e) => setContact(i, { phone: e.target.value || undefined })} placeholder={t('people.phone')} style={{ width: 160 }} />
          <Input value={c.note} onChange={(e) => setContact(i, { note: e.target.value || undefined })} placeholder={t('common.notes')} style={{ flex: 1, minWidth: 160 }} />
          <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => set('contacts', value.contacts.filter((_, j) => j !== i))} />
        </Flex>
      ))}
      <Button icon={<PlusOutlined />} onClick={() => set('contacts', [...value.contacts, { label: '' }])}>{t('plan.addContact')}</Button>
    </div>
  );
}

/** A published (or draft) version, read-only. */
export function PlanContentView({ content }: { content: PlanContent }) {
  const { t } = useTranslation();
  const labels = taxonomyLabels(useTaxonomy().data);
  const groupOptions = useGroupOptions();
  const people = useActivePeople();
  const name = (id?: string) => (id ? people.data?.find((p) => p.id === id)?.name ?? '' : '');
  return (
    <div data-testid="plan-view">
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'g', label: t('plan.guidingPrinciple'), children: <span className="fd-multiline">{content.guidingPrinciple || '—'}</span> },
          { key: 's', label: t('plan.scope'), children: <span className="fd-multiline">{content.scope || '—'}</span> },
          { key: 'w', label: t('plan.groups'), children: content.groupIds.length ? content.groupIds.map((id) => <Tag key={id}>{groupOptions.find((o) => o.value === id)?.label ?? id}</Tag>) : '—' },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('plan.procedures')}</Typography.Title>
      {content.procedures.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
      {content.procedures.map((p) => (
        <Card key={p.key} size="small" style={{ marginBottom: 8 }} title={<Space>{p.title}{p.category && <Tag>{labels.category(p.category)}</Tag>}{p.minLevel && <Tag color="orange">{t('plan.levelAtLeast', { level: p.minLevel })}</Tag>}</Space>}>
          <ol style={{ margin: 0, paddingInlineStart: 20 }}>
            {p.steps.map((s) => (
              <li key={s.key}><Tag>{t(`drillRoles.${s.role}`)}</Tag>{s.text}</li>
            ))}
          </ol>
        </Card>
      ))}
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('plan.escalationRules')}</Typography.Title>
      <Table<EscalationRule>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={content.escalationRules}
        onRow={(r) => ({ 'data-testid': 'plan-view-rule', 'data-rule': r.key }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: t('plan.noRules') }}
        columns={[
          { title: t('plan.rule.recipient'), render: (_, r) => `${r.recipient}${r.recipientPersonId ? `（${name(r.recipientPersonId)}）` : ''}` },
          { title: t('plan.rule.trigger'), render: (_, r) => `${t(`plan.triggers.${r.trigger}`)}${r.minLevel ? ` · ${t('plan.levelAtLeast', { level: r.minLevel })}` : ''}` },
          { title: t('plan.rule.within'), width: 100, render: (_, r) => t('plan.minutes', { count: r.withinMinutes }) },
          { title: t('plan.rule.channel'), width: 100, render: (_, r) => t(`reportChannels.${r.channel}`) },
          { title: t('plan.rule.fields'), render: (_, r) => r.requiredFields.map((f) => <Tag key={f}>{labels.field(f)}</Tag>) },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('plan.contacts')}</Typography.Title>
      {content.contacts.length === 0 ? '—' : (
        <ul>
          {content.contacts.map((c, i) => (
            <li key={i}>{c.label} {name(c.personId)} {c.phone} {c.note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
