import { CloseOutlined, EnterOutlined } from '@ant-design/icons';
import { Alert, App, AutoComplete, Button, Flex, Input, Radio, Select, Typography, type GetRef } from 'antd';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { REPORT_CHANNELS, SEED_REPORT_FIELDS, WRITABLE_KINDS, type AppendEntryBody, type EscalationRule, type Milestone, type TimelineEntry, type WritableKind } from '../../api/types';
import { taxonomyLabels, useTaxonomy } from './api';

/** Milestones a person marks by hand (start/end/close come from the drill's transitions). */
const MANUAL_MILESTONES: Milestone[] = ['detected', 'plan_activated', 'contained', 'eradicated', 'recovered'];
/** Typed prefixes: "/a " action, "/d " decision … (the same order as Alt+1…6). */
const PREFIX: Record<string, WritableKind> = { a: 'action', d: 'decision', r: 'report', n: 'notification', o: 'observation', f: 'finding' };

export interface ReportPreset {
  ruleKey?: string;
  recipient: string;
  channel: string;
  requiredFields: string[];
}

interface Props {
  /** The kinds this user may write here (from the drill's abilities, or all for incidents). */
  kinds: readonly WritableKind[];
  /** Escalation rules: their recipients, channels and required fields fill the report form. */
  rules: EscalationRule[];
  onSubmit: (body: AppendEntryBody) => Promise<unknown>;
  /** An entry being corrected (the new entry points at it). */
  correcting?: TimelineEntry | null;
  onCancelCorrect?: () => void;
  /** Open the report form for this rule (from the escalation panel). */
  reportPreset?: ReportPreset | null;
  onPresetUsed?: () => void;
  size?: 'default' | 'large';
  autoFocus?: boolean;
  disabled?: boolean;
}

function emptyFields(keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, '']));
}

/**
 * The fast entry box, keyboard first: "/" focuses it from anywhere on the page, Alt+1…6 (or typing "/a ",
 * "/d ", "/r " …) picks the kind, Enter writes the entry, Shift+Enter starts a new line. A report opens a
 * compact form: recipient, channel and the fields the escalation rule requires.
 */
export function EntryBox({ kinds, rules, onSubmit, correcting, onCancelCorrect, reportPreset, onPresetUsed, size = 'default', autoFocus, disabled }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = taxonomyLabels(useTaxonomy().data);
  const allowed = useMemo(() => WRITABLE_KINDS.filter((k) => kinds.includes(k)), [kinds]);
  const [kind, setKind] = useState<WritableKind>(allowed[0] ?? 'action');
  const [text, setText] = useState('');
  const [milestone, setMilestone] = useState<Milestone | undefined>();
  const [recipient, setRecipient] = useState('');
  const [channel, setChannel] = useState<string>('verbal');
  const [ruleKey, setRuleKey] = useState<string | undefined>();
  const [fields, setFields] = useState<Record<string, string>>(() => emptyFields(SEED_REPORT_FIELDS));
  const [busy, setBusy] = useState(false);
  const textRef = useRef<GetRef<typeof Input.TextArea>>(null);
  const large = size === 'large';

  useEffect(() => {
    if (!allowed.includes(kind) && allowed[0]) setKind(allowed[0]);
  }, [allowed, kind]);

  // "/" anywhere outside a field focuses the box.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      event.preventDefault();
      textRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const applyRule = (rule: { ruleKey?: string; recipient: string; channel: string; requiredFields: string[] }) => {
    setRuleKey(rule.ruleKey);
    setRecipient(rule.recipient);
    setChannel(rule.channel);
    setFields((old) => ({ ...emptyFields(rule.requiredFields.length ? rule.requiredFields : SEED_REPORT_FIELDS), ...Object.fromEntries(Object.entries(old).filter(([, v]) => v)) }));
  };

  useEffect(() => {
    if (!reportPreset) return;
    if (allowed.includes('report')) {
      setKind('report');
      applyRule(reportPreset);
      setTimeout(() => textRef.current?.focus(), 0);
    }
    onPresetUsed?.();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reportPreset]);

  useEffect(() => {
    if (!correcting) return;
    if ((allowed as readonly string[]).includes(correcting.kind)) setKind(correcting.kind as WritableKind);
    setText(correcting.text);
    if (correcting.data?.report) {
      const r = correcting.data.report;
      setRecipient(r.recipient);
      setChannel(r.channel);
      setRuleKey(r.ruleKey);
      setFields({ ...r.fields });
    }
    setTimeout(() => textRef.current?.focus(), 0);
  }, [correcting, allowed]);

  const reset = () => {
    setText('');
    setMilestone(undefined);
    if (kind === 'report') setFields((old) => emptyFields(Object.keys(old)));
  };

  const submit = async () => {
    if (busy || disabled) return;
    let body = text.trim();
    if (kind === 'report') {
      if (!recipient.trim()) {
        message.warning(t('entry.recipientRequired'));
        return;
      }
      if (!body) body = t('report.autoText', { recipient: recipient.trim() });
    }
    if (!body) return;
    const report =
      kind === 'report'
        ? {
            recipient: recipient.trim(),
            channel,
            ...(ruleKey ? { ruleKey } : {}),
            fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()])),
          }
        : undefined;
    const data = milestone || report ? { ...(milestone ? { milestone } : {}), ...(report ? { report } : {}) } : undefined;
    setBusy(true);
    try {
      await onSubmit({ kind, text: body, ...(data ? { data } : {}), ...(correcting ? { correctsId: correcting.id } : {}) });
      reset();
      onCancelCorrect?.();
      textRef.current?.focus();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.altKey && /^Digit[1-6]$/.test(event.code)) {
      const wanted = WRITABLE_KINDS[Number(event.code.slice(5)) - 1];
      event.preventDefault();
      if (allowed.includes(wanted)) setKind(wanted);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
    if (event.key === 'Escape' && correcting) onCancelCorrect?.();
  };

  const onTextChange = (value: string) => {
    const match = /^\/([adrnof]) $/.exec(value.slice(0, 3));
    if (match && allowed.includes(PREFIX[match[1]])) {
      setKind(PREFIX[match[1]]);
      setText(value.slice(3));
      return;
    }
    setText(value);
  };

  if (allowed.length === 0) return null;
  const fieldKeys = Object.keys(fields);
  return (
    <div className={`fd-entrybox${large ? ' fd-entrybox-large' : ''}`} data-testid="entry-box">
      {correcting && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          title={t('entry.correcting', { seq: correcting.seq })}
          description={<span className="fd-struck">{correcting.text}</span>}
          action={<Button size="small" type="text" icon={<CloseOutlined />} onClick={onCancelCorrect} aria-label={t('common.cancel')} />}
        />
      )}
      <Flex gap={8} wrap align="center" style={{ marginBottom: 8 }}>
        <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as WritableKind)} optionType="button" buttonStyle="solid" size={large ? 'large' : 'middle'} data-testid="entry-kind">
          {allowed.map((k) => (
            <Radio.Button key={k} value={k} data-testid={`entry-kind-${k}`} title={`Alt+${WRITABLE_KINDS.indexOf(k) + 1}`}>
              {t(`timeline.kinds.${k}`)}
            </Radio.Button>
          ))}
        </Radio.Group>
        <Select<Milestone>
          allowClear
          value={milestone}
          onChange={setMilestone}
          placeholder={t('entry.milestone')}
          style={{ minWidth: 150 }}
          size={large ? 'large' : 'middle'}
          options={MANUAL_MILESTONES.map((m) => ({ value: m, label: t(`milestones.${m}`) }))}
          data-testid="entry-milestone"
        />
      </Flex>
      {kind === 'report' && (
        <div className="fd-report-form" data-testid="report-form">
          <Flex gap={8} wrap style={{ marginBottom: 8 }}>
            {rules.length > 0 && (
              <Select<string>
                allowClear
                value={ruleKey}
                placeholder={t('entry.rule')}
                style={{ minWidth: 200, flex: '1 1 200px' }}
                onChange={(value) => {
                  const rule = rules.find((r) => r.key === value);
                  if (rule) applyRule({ ruleKey: rule.key, recipient: rule.recipient, channel: rule.channel, requiredFields: rule.requiredFields });
                  else setRuleKey(undefined);
                }}
                options={rules.map((r) => ({ value: r.key, label: t('entry.ruleOption', { recipient: r.recipient, minutes: r.withinMinutes }) }))}
                data-testid="report-rule"
              />
            )}
            <AutoComplete
              value={recipient}
              onChange={setRecipient}
              placeholder={t('entry.recipient')}
              style={{ minWidth: 160, flex: '1 1 160px' }}
              options={[...new Set(rules.map((r) => r.recipient))].map((r) => ({ value: r }))}
              data-testid="report-recipient"
            />
            <Select<string>
              value={channel}
              onChange={setChannel}
              style={{ width: 130 }}
              options={REPORT_CHANNELS.map((c) => ({ value: c, label: t(`reportChannels.${c}`) }))}
              data-testid="report-channel"
            />
          </Flex>
          <div className="fd-report-fields">
            {fieldKeys.map((key) => (
              <Input
                key={key}
                addonBefore={<span className="fd-report-field-label">{labels.field(key)}</span>}
                value={fields[key]}
                onChange={(e) => setFields((old) => ({ ...old, [key]: e.target.value }))}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
                    e.preventDefault();
                    void submit();
                  }
                }}
                data-testid={`report-field-${key}`}
              />
            ))}
          </div>
        </div>
      )}
      <Flex gap={8} align="flex-end">
        <Input.TextArea
          ref={textRef}
          value={text}
          onChange={(e) => onTextChange(e.target.value)}
          onKeyDown={onKeyDown}
          autoSize={{ minRows: large ? 2 : 1, maxRows: 6 }}
          maxLength={4000}
          autoFocus={autoFocus}
          disabled={disabled}
          placeholder={kind === 'report' ? t('entry.reportPlaceholder') : t(`entry.placeholders.${kind}`)}
          style={large ? { fontSize: 18 } : undefined}
          data-testid="entry-text-input"
        />
        <Button type="primary" icon={<EnterOutlined />} loading={busy} onClick={() => void submit()} size={large ? 'large' : 'middle'} disabled={disabled} data-testid="entry-submit">
          {t('entry.submit')}
        </Button>
      </Flex>
      {!large && (
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 4 }} data-testid="entry-hint">
          {t('entry.hint')}
        </Typography.Text>
      )}
    </div>
  );
}
