import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Flex, Form, Input, InputNumber, Radio, Select, Space, Steps, Switch, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, errorText } from '../../api/client';
import {
  DRILL_MODES,
  DRILL_ROLES,
  DRILL_SCOPES,
  INJECT_CHANNELS,
  type Drill,
  type DrillMode,
  type DrillRole,
  type DrillScope,
  type EscalationRule,
  type IncidentLevel,
  type InjectBody,
  type Objective,
  type ScenarioDefinition,
} from '../../api/types';
import { PageContainer } from '../../components/PageContainer';
import { personLabel, useActivePeople } from '../org/api';
import { usePlans, usePlanVersion } from '../plans/api';
import { fetchScenario, useScenarios } from '../scenarios/api';
import { loc, taxonomyLabels, useTaxonomy } from '../timeline/api';
import { ExerciseMark } from '../timeline/ExerciseMark';
import { drillKeys } from './api';

interface Basics {
  title: string;
  mode: DrillMode;
  scope: DrillScope;
  language: 'zh-CN' | 'en';
  scheduledStart?: Dayjs | null;
  place?: string;
  purpose?: string;
  content?: string;
}

interface ParticipantRow {
  rowKey: string;
  personId?: string;
  role: DrillRole;
  duty: string;
}

type InjectRow = InjectBody & { rowKey: string };

let rowCounter = 0;
const nextKey = () => `r${++rowCounter}`;

/** Lower-case key from a counter, for new objectives and injects. */
function newKey(prefix: string, taken: string[]): string {
  let n = taken.length + 1;
  while (taken.includes(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}

/**
 * 演练准备向导: basics → plan and scenario → participants → objectives and injects → review. Creates the drill
 * (or, at /drills/:id/edit, saves the draft).
 */
export function DrillWizard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { drillId } = useParams();
  const [search] = useSearchParams();
  const programmeItemId = search.get('programme');
  const [step, setStep] = useState(0);
  const [form] = Form.useForm<Basics>();
  const [planId, setPlanId] = useState<string | undefined>();
  const [scenarioId, setScenarioId] = useState<string | undefined>();
  /** The chosen scenario and the language its texts were loaded in (they follow the drill's language). */
  const [definition, setDefinition] = useState<ScenarioDefinition | null>(null);
  const [scenarioLang, setScenarioLang] = useState<Basics['language']>('zh-CN');
  const [participants, setParticipants] = useState<ParticipantRow[]>([]);
  const [objectives, setObjectives] = useState<(Objective & { rowKey: string })[]>([]);
  const [injects, setInjects] = useState<InjectRow[]>([]);
  const [incident, setIncident] = useState<{ category?: string; subcategory?: string; level?: IncidentLevel }>({});
  const [basics, setBasics] = useState<Basics | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const plans = usePlans();
  const scenarios = useScenarios();
  const people = useActivePeople();
  const taxonomy = useTaxonomy();
  const labels = taxonomyLabels(taxonomy.data);
  const existing = useQuery({ queryKey: drillKeys.detail(drillId ?? ''), queryFn: () => api<Drill>(`/drills/${drillId}`), enabled: !!drillId });

  // Editing a draft: start from what it holds.
  useEffect(() => {
    const d = existing.data;
    if (!d) return;
    form.setFieldsValue({
      title: d.title,
      mode: d.mode,
      scope: d.scope,
      language: d.language === 'en' ? 'en' : 'zh-CN',
      scheduledStart: d.scheduledStart ? dayjs(d.scheduledStart) : null,
      place: d.place,
      purpose: d.purpose,
      content: d.content,
    });
    setScenarioId(d.scenarioId ?? undefined);
    setPlanId(d.plan?.id);
    if (d.scenarioId) {
      const lang = d.language === 'en' ? 'en' : 'zh-CN';
      fetchScenario(d.scenarioId)
        .then(({ definition }) => {
          setDefinition(definition);
          setScenarioLang(lang);
        })
        .catch(() => undefined);
    }
    setParticipants(d.participants.map((p) => ({ rowKey: nextKey(), personId: p.personId, role: p.role, duty: p.duty })));
    setObjectives(d.objectives.map((o) => ({ ...o, rowKey: nextKey() })));
    setInjects(
      d.injects.map((i) => ({
        rowKey: nextKey(),
        key: i.key,
        offsetMinutes: i.offsetMs === null ? null : i.offsetMs / 60_000,
        channel: i.channel as InjectBody['channel'],
        sender: i.sender,
        recipients: i.recipients as InjectBody['recipients'],
        content: i.content,
        expectedActions: i.expectedActions,
        marksDetection: i.marksDetection,
      })),
    );
    setIncident({ category: d.incidentCategory ?? undefined, subcategory: d.incidentSubcategory ?? undefined, level: d.incidentLevel ?? undefined });
  }, [existing.data, form]);

  /** Choosing a scenario fills the script (injects, objectives, class) in the drill's language. */
  const chooseScenario = async (id: string | undefined) => {
    setScenarioId(id);
    if (!id) {
      setDefinition(null);
      return;
    }
    try {
      const { definition } = await fetchScenario(id);
      const lang = (form.getFieldValue('language') as Basics['language']) ?? 'zh-CN';
      setDefinition(definition);
      setScenarioLang(lang);
      setObjectives(definition.objectives.map((o) => ({ rowKey: nextKey(), key: o.key, text: o.text[lang], criterion: o.criterion[lang] })));
      setInjects(
        definition.injects.map((i) => ({
          rowKey: nextKey(),
          key: i.key,
          offsetMinutes: i.offsetMinutes,
          channel: i.channel,
          sender: i.sender[lang],
          recipients: i.recipients,
          content: i.content[lang],
          expectedActions: i.expectedActions.map((a) => a[lang]),
          marksDetection: i.detects ?? false,
        })),
      );
      setIncident({ category: definition.category, subcategory: definition.subcategory, level: definition.level });
      if (!form.getFieldValue('title')?.trim()) form.setFieldValue('title', definition.title[lang]);
      if (!form.getFieldValue('content')?.trim()) form.setFieldValue('content', definition.summary[lang]);
      setBasics((b) => (b ? { ...b, ...form.getFieldsValue(true) } : b));
      message.info(t('wizard.scenarioLoaded', { injects: definition.injects.length, objectives: definition.objectives.length }));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  /**
   * The drill's language changed after a scenario was picked: its texts follow (matched by key, so offsets,
   * channels and recipients the coordinator changed stay); title and content too while still the scenario's.
   */
  const relocalize = (lang: Basics['language']) => {
    if (!definition || lang === scenarioLang) return;
    const injectOf = (key: string) => definition.injects.find((i) => i.key === key);
    const objectiveOf = (key: string) => definition.objectives.find((o) => o.key === key);
    setObjectives((rows) => rows.map((o) => {
      const from = objectiveOf(o.key);
      return from ? { ...o, text: from.text[lang], criterion: from.criterion[lang] } : o;
    }));
    setInjects((rows) => rows.map((i) => {
      const from = injectOf(i.key);
      return from ? { ...i, sender: from.sender[lang], content: from.content[lang], expectedActions: from.expectedActions.map((a) => a[lang]) } : i;
    }));
    const title = (form.getFieldValue('title') as string | undefined)?.trim();
    if (!title || title === definition.title[scenarioLang]) form.setFieldValue('title', definition.title[lang]);
    const content = (form.getFieldValue('content') as string | undefined)?.trim();
    if (!content || content === definition.summary[scenarioLang].trim()) form.setFieldValue('content', definition.summary[lang]);
    setScenarioLang(lang);
  };

  const next = async () => {
    if (step === 0) {
      try {
        await form.validateFields();
      } catch {
        return;
      }
    }
    setBasics(form.getFieldsValue(true) as Basics);
    if (step === 2 && participants.some((p) => !p.personId)) {
      message.warning(t('wizard.participantMissing'));
      return;
    }
    if (step === 3 && injects.some((i) => !i.content.trim() || !i.sender.trim() || i.recipients.length === 0)) {
      message.warning(t('wizard.injectIncomplete'));
      return;
    }
    setStep((s) => s + 1);
  };

  const save = async () => {
    const b = { ...basics, ...(form.getFieldsValue(true) as Basics) };
    const body = {
      title: b.title.trim(),
      mode: b.mode,
      scope: b.scope,
      language: b.language,
      ...(planId ? { planId } : {}),
      ...(!drillId && scenarioId ? { scenarioId } : {}),
      ...(b.scheduledStart ? { scheduledStart: b.scheduledStart.toISOString() } : {}),
      place: b.place?.trim() ?? '',
      purpose: b.purpose?.trim() ?? '',
      content: b.content?.trim() ?? '',
      participants: participants.filter((p) => p.personId).map((p) => ({ personId: p.personId!, role: p.role, ...(p.duty.trim() ? { duty: p.duty.trim() } : {}) })),
      objectives: objectives.filter((o) => o.text.trim()).map(({ key, text, criterion }) => ({ key, text: text.trim(), criterion: criterion.trim() })),
      injects: injects.map(({ rowKey: _rowKey, ...i }) => ({ ...i, sender: i.sender.trim(), content: i.content.trim() })),
      ...(incident.category ? { incidentCategory: incident.category } : {}),
      ...(incident.subcategory ? { incidentSubcategory: incident.subcategory } : {}),
      ...(incident.level ? { incidentLevel: incident.level } : {}),
      ...(escalationRules.length && (planId || definition) && (!planId || planVersion.data) ? { escalationRules } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      const drill = drillId ? await api<Drill>(`/drills/${drillId}`, { method: 'PATCH', body }) : await api<Drill>('/drills', { method: 'POST', body });
      if (programmeItemId) await api(`/programme/${programmeItemId}`, { method: 'PATCH', body: { drillId: drill.id } }).catch(() => undefined);
      await queryClient.invalidateQueries({ queryKey: drillKeys.all });
      message.success(drillId ? t('common.saved') : t('common.createdNamed', { name: drill.title }));
      navigate(`/drills/${drill.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const publishedPlans = (plans.data ?? []).filter((p) => p.publishedNumber !== null && !p.archived);
  const language = (Form.useWatch('language', form) as Basics['language'] | undefined) ?? scenarioLang;
  const planVersion = usePlanVersion(planId ?? '', planId ? publishedPlans.find((p) => p.id === planId)?.publishedNumber ?? undefined : undefined);
  /**
   * The escalation clocks the drill will run: the plan's rules, then the scenario's that the plan does not
   * already cover (same key or same recipient): the company's plan wins, so one 总经理 clock, not two.
   */
  const planRules: EscalationRule[] = planId ? planVersion.data?.content.escalationRules ?? [] : [];
  const scenarioRules: EscalationRule[] = (definition?.escalations ?? []).map((e) => ({
    key: e.key,
    trigger: e.trigger,
    ...(e.trigger === 'level_at_least' ? { minLevel: 'III' as const } : {}),
    recipient: e.recipient[language],
    withinMinutes: e.withinMinutes,
    channel: e.channel as EscalationRule['channel'],
    requiredFields: e.requiredFields,
  }));
  const escalationRules = [...planRules, ...scenarioRules.filter((r) => !planRules.some((p) => p.key === r.key || p.recipient.trim() === r.recipient.trim()))];
  const personOptions = (people.data ?? []).map((p) => ({ value: p.id, label: personLabel(p) }));
  const roleOptions = DRILL_ROLES.map((r) => ({ value: r, label: t(`drillRoles.${r}`) }));
  const recipientOptions = (['responder', 'observer', 'coordinator', 'all'] as const).map((r) => ({ value: r, label: t(`drillRoles.${r}`) }));
  const selectedScenario = scenarios.data?.find((s) => s.id === scenarioId);

  const steps = [
    {
      title: t('wizard.steps.basics'),
      content: (
        <Form<Basics> form={form} name="drill" layout="vertical" initialValues={{ mode: 'simulated', scope: 'single_topic', language: i18n.language === 'en' ? 'en' : 'zh-CN' }} preserve style={{ maxWidth: 720 }} onValuesChange={(changed: Partial<Basics>) => changed.language && relocalize(changed.language)}>
          <Form.Item name="title" label={t('drill.fields.title')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('drill.fields.title') }) }]}>
            <Input maxLength={200} autoFocus placeholder={t('wizard.titlePlaceholder')} />
          </Form.Item>
          <Form.Item name="mode" label={t('drill.fields.mode')}>
            <Radio.Group optionType="button" options={DRILL_MODES.map((m) => ({ value: m, label: t(`drillModes.${m}`) }))} />
          </Form.Item>
          <Form.Item name="scope" label={t('drill.fields.scope')}>
            <Radio.Group optionType="button" options={DRILL_SCOPES.map((s) => ({ value: s, label: t(`drillScopes.${s}`) }))} />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="scheduledStart" label={t('drill.fields.scheduledStart')} style={{ flex: '1 1 240px' }}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="place" label={t('drill.fields.place')} style={{ flex: '1 1 240px' }}>
              <Input maxLength={200} placeholder={t('wizard.placePlaceholder')} />
            </Form.Item>
            <Form.Item name="language" label={t('drill.fields.language')} style={{ flex: '0 0 160px' }}>
              <Select options={[{ value: 'zh-CN', label: t('lang.zh-CN') }, { value: 'en', label: t('lang.en') }]} data-testid="wizard-language" />
            </Form.Item>
          </Flex>
          <Form.Item name="purpose" label={t('drill.fields.purpose')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
          </Form.Item>
          <Form.Item name="content" label={t('drill.fields.content')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
          </Form.Item>
        </Form>
      ),
    },
    {
      title: t('wizard.steps.planScenario'),
      content: (
        <div style={{ maxWidth: 900 }}>
          <Typography.Title level={5}>{t('wizard.plan')}</Typography.Title>
          <Select
            allowClear
            value={planId}
            onChange={setPlanId}
            style={{ width: '100%', maxWidth: 480, marginBottom: 8 }}
            placeholder={t('wizard.planPlaceholder')}
            loading={plans.isPending}
            options={publishedPlans.map((p) => ({ value: p.id, label: `${p.title}（v${p.publishedNumber}）` }))}
            data-testid="wizard-plan"
          />
          <Typography.Paragraph type="secondary">{t('wizard.planHelp')}</Typography.Paragraph>
          <Typography.Title level={5}>{t('wizard.scenario')}</Typography.Title>
          {drillId ? (
            <Typography.Paragraph type="secondary">{selectedScenario ? loc(selectedScenario.title) : t('common.none')}</Typography.Paragraph>
          ) : (
            <Radio.Group value={scenarioId ?? ''} onChange={(e) => void chooseScenario(e.target.value || undefined)} style={{ width: '100%' }}>
              <Flex vertical gap={8}>
                <Radio value="">{t('wizard.noScenario')}</Radio>
                {(scenarios.data ?? []).map((s) => (
                  <Radio key={s.id} value={s.id}>
                    <Typography.Text strong data-testid="wizard-scenario" data-key={s.key}>
                      {loc(s.title)}
                    </Typography.Text>{' '}
                    <Tag>{labels.category(s.category)}</Tag>
                    <Tag color="orange">{labels.level(s.level)}</Tag>
                    <Typography.Text type="secondary">{t('scenario.injectCount', { count: s.injectCount })}</Typography.Text>
                  </Radio>
                ))}
              </Flex>
            </Radio.Group>
          )}
        </div>
      ),
    },
    {
      title: t('wizard.steps.participants'),
      content: (
        <div>
          <Table<ParticipantRow>
            rowKey="rowKey"
            dataSource={participants}
            onRow={() => ({ 'data-testid': 'participant-row' }) as React.HTMLAttributes<HTMLElement>}
            pagination={false}
            size="small"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wizard.noParticipants')} /> }}
            columns={[
              {
                title: t('wizard.person'),
                width: 280,
                render: (_, row) => (
                  <Select
                    showSearch={{ optionFilterProp: 'label' }}
                    value={row.personId}
                    style={{ width: '100%' }}
                    options={personOptions}
                    placeholder={t('wizard.personPlaceholder')}
                    data-testid="participant-person"
                    onChange={(value) => setParticipants((rows) => rows.map((r) => (r.rowKey === row.rowKey ? { ...r, personId: value } : r)))}
                  />
                ),
              },
              {
                title: t('wizard.drillRole'),
                width: 170,
                render: (_, row) => (
                  <Select value={row.role} style={{ width: '100%' }} options={roleOptions} data-testid="participant-role" onChange={(value) => setParticipants((rows) => rows.map((r) => (r.rowKey === row.rowKey ? { ...r, role: value } : r)))} />
                ),
              },
              {
                title: t('wizard.duty'),
                render: (_, row) => (
                  <Input value={row.duty} maxLength={500} placeholder={t('wizard.dutyPlaceholder')} data-testid="participant-duty" onChange={(e) => setParticipants((rows) => rows.map((r) => (r.rowKey === row.rowKey ? { ...r, duty: e.target.value } : r)))} />
                ),
              },
              {
                width: 60,
                render: (_, row) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => setParticipants((rows) => rows.filter((r) => r.rowKey !== row.rowKey))} />,
              },
            ]}
          />
          <Button icon={<PlusOutlined />} style={{ marginTop: 12 }} onClick={() => setParticipants((rows) => [...rows, { rowKey: nextKey(), role: 'responder', duty: '' }])} data-testid="wizard-add-participant">
            {t('wizard.addParticipant')}
          </Button>
        </div>
      ),
    },
    {
      title: t('wizard.steps.script'),
      content: (
        <div>
          <Typography.Title level={5}>{t('drill.objectives')}</Typography.Title>
          {objectives.map((o) => (
            <Flex key={o.rowKey} gap={8} style={{ marginBottom: 8 }} align="flex-start">
              <Input value={o.text} placeholder={t('wizard.objectiveText')} style={{ flex: 2 }} onChange={(e) => setObjectives((rows) => rows.map((r) => (r.rowKey === o.rowKey ? { ...r, text: e.target.value } : r)))} />
              <Input.TextArea
                value={o.criterion}
                autoSize={{ minRows: 1, maxRows: 4 }}
                placeholder={t('wizard.objectiveCriterion')}
                style={{ flex: 3 }}
                onChange={(e) => setObjectives((rows) => rows.map((r) => (r.rowKey === o.rowKey ? { ...r, criterion: e.target.value } : r)))}
              />
              <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => setObjectives((rows) => rows.filter((r) => r.rowKey !== o.rowKey))} />
            </Flex>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => setObjectives((rows) => [...rows, { rowKey: nextKey(), key: newKey('objective', rows.map((r) => r.key)), text: '', criterion: '' }])}>
            {t('wizard.addObjective')}
          </Button>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('drill.injects')}
          </Typography.Title>
          <Table<InjectRow>
            rowKey="rowKey"
            size="small"
            pagination={false}
            dataSource={[...injects].sort((a, b) => (a.offsetMinutes ?? 1e9) - (b.offsetMinutes ?? 1e9))}
            onRow={(row) => ({ 'data-testid': 'wizard-inject', 'data-key': row.key }) as React.HTMLAttributes<HTMLElement>}
            scroll={{ x: 1150 }}
            columns={[
              {
                title: t('inject.offset'),
                width: 150,
                render: (_, row) => (
                  <InputNumber
                    min={0}
                    max={60 * 24 * 7}
                    value={row.offsetMinutes}
                    placeholder={t('inject.manual')}
                    prefix="+"
                    suffix={t('plan.min')}
                    style={{ width: 135 }}
                    data-testid="inject-offset"
                    onChange={(value) => setInjects((rows) => rows.map((r) => (r.rowKey === row.rowKey ? { ...r, offsetMinutes: value ?? null } : r)))}
                  />
                ),
              },
              {
                title: t('inject.channel'),
                width: 120,
                render: (_, row) => (
                  <Select
                    value={row.channel}
                    style={{ width: 110 }}
                    options={INJECT_CHANNELS.map((c) => ({ value: c, label: t(`injectChannels.${c}`) }))}
                    onChange={(value) => setInjects((rows) => rows.map((r) => (r.rowKey === row.rowKey ? { ...r, channel: value } : r)))}
                  />
                ),
              },
              {
                title: t('inject.sender'),
                width: 140,
                render: (_, row) => <Input value={row.sender} maxLength={200} onChange={(e) => setInjects((rows) => rows.map((r) => (r.rowKey === row.rowKey ? { ...r, sender: e.target.value } : r)))} />,
              },
              {
                title: t('inject.recipients'),
                width: 200,
                render: (_, row) => (
                  <Select
                    mode="multiple"
                    value={row.recipients}
                    style={{ width: 190 }}
                    options={recipientOptions}
                    onChange={(value) => setInjects((rows) => rows.map((r) => (r.rowKey === row.rowKey ? { ...r, recipients: value } : r)))}
                  />
                ),
              },
              {
                title: t('inject.content'),
                render: (_, row) => (
                  <Input.TextArea
                    value={row.content}
                    data-testid="inject-content-input"
                    autoSize={{ minRows: 1, maxRows: 5 }}
                    maxLength={4000}
                    onChange={(e) => setInjects((rows) => rows.map((r) => (r.rowKey === row.rowKey ? { ...r, content: e.target.value } : r)))}
                  />
                ),
              },
              {
                title: t('inject.marksDetectionShort'),
                width: 80,
                render: (_, row) => <Switch size="small" checked={row.marksDetection} onChange={(value) => setInjects((rows) => rows.map((r) => (r.rowKey === row.rowKey ? { ...r, marksDetection: value } : r)))} />,
              },
              {
                width: 50,
                fixed: 'right',
                render: (_, row) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => setInjects((rows) => rows.filter((r) => r.rowKey !== row.rowKey))} />,
              },
            ]}
          />
          <Button
            icon={<PlusOutlined />}
            style={{ marginTop: 12 }}
            onClick={() =>
              setInjects((rows) => [
                ...rows,
                { rowKey: nextKey(), key: newKey('inject', rows.map((r) => r.key)), offsetMinutes: null, channel: 'phone', sender: '', recipients: ['responder'], content: '', expectedActions: [], marksDetection: false },
              ])
            }
          >
            {t('wizard.addInject')}
          </Button>
        </div>
      ),
    },
    {
      title: t('wizard.steps.review'),
      content: (
        <div style={{ maxWidth: 900 }}>
          {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} data-testid="form-error" /> : null}
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: 'title', label: t('drill.fields.title'), children: basics?.title },
              { key: 'mode', label: t('drill.fields.mode'), children: basics ? `${t(`drillModes.${basics.mode}`)} · ${t(`drillScopes.${basics.scope}`)}` : '' },
              { key: 'time', label: t('drill.fields.scheduledStart'), children: basics?.scheduledStart ? basics.scheduledStart.format('YYYY-MM-DD HH:mm') : '—' },
              { key: 'place', label: t('drill.fields.place'), children: basics?.place || '—' },
              { key: 'plan', label: t('wizard.plan'), children: planId ? `${publishedPlans.find((p) => p.id === planId)?.title ?? ''}${planVersion.data ? ` v${planVersion.data.number}` : ''}` : '—' },
              { key: 'scenario', label: t('wizard.scenario'), children: selectedScenario ? loc(selectedScenario.title) : '—' },
              { key: 'class', label: t('drill.fields.incident'), children: incident.category ? `${labels.category(incident.category)} ${labels.subcategory(incident.category, incident.subcategory)} · ${labels.level(incident.level)}` : '—' },
              {
                key: 'participants',
                label: t('drill.participants'),
                children: participants.length ? (
                  <Space wrap>
                    {participants.map((p) => (
                      <Tag key={p.rowKey}>
                        {personOptions.find((o) => o.value === p.personId)?.label ?? '?'} · {t(`drillRoles.${p.role}`)}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  '—'
                ),
              },
              { key: 'objectives', label: t('drill.objectives'), children: t('wizard.count', { count: objectives.length }) },
              { key: 'injects', label: t('drill.injects'), children: t('wizard.count', { count: injects.length }) },
              {
                key: 'rules',
                label: t('plan.escalationRules'),
                children: escalationRules.length ? (
                  <Flex vertical gap={2} data-testid="wizard-rules">
                    {escalationRules.map((r) => (
                      <span key={r.key} data-testid="wizard-rule" data-rule={r.key}>
                        {r.recipient} · {t('escalation.within', { minutes: r.withinMinutes })} · {t(`reportChannels.${r.channel}`, { defaultValue: r.channel })}
                      </span>
                    ))}
                  </Flex>
                ) : (
                  '—'
                ),
              },
            ]}
          />
        </div>
      ),
    },
  ];

  return (
    <PageContainer
      testId="drill-wizard"
      title={
        <Space>
          <ExerciseMark />
          {drillId ? t('wizard.editTitle') : t('wizard.title')}
        </Space>
      }
      description={t('wizard.description')}
      card={false}
    >
      <Card variant="borderless">
        <Steps current={step} items={steps.map((s) => ({ title: s.title }))} style={{ marginBottom: 24 }} onChange={(n) => (n < step ? setStep(n) : undefined)} />
        {steps.map((s, i) => (
          <div key={s.title} style={{ display: i === step ? 'block' : 'none' }}>
            {s.content}
          </div>
        ))}
        <Flex justify="space-between" style={{ marginTop: 24 }}>
          <Button onClick={() => (step === 0 ? navigate(-1) : setStep(step - 1))} data-testid="wizard-back">{step === 0 ? t('common.cancel') : t('wizard.back')}</Button>
          {step < steps.length - 1 ? (
            <Button type="primary" onClick={() => void next()} data-testid="wizard-next">
              {t('wizard.next')}
            </Button>
          ) : (
            <Button type="primary" loading={busy} onClick={() => void save()} data-testid="wizard-create">
              {drillId ? t('common.save') : t('wizard.create')}
            </Button>
          )}
        </Flex>
      </Card>
    </PageContainer>
  );
}
