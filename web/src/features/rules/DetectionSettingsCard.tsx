import { PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Flex, Form, Input, Row, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { ruleKeys, updateDetectionSettings, useDetectionSettings } from './api';

/** Placeholders the bundled rules use, with a line saying what each one holds. */
const KNOWN = ['admin_accounts', 'finance_accounts', 'app_db_accounts', 'backup_accounts'];
const NAME = /^[a-z][a-z0-9_]*$/;
const FALLBACK_ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'UTC'];

function zones(current: string): string[] {
  let all: string[] = FALLBACK_ZONES;
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    // Older browsers: the usual few.
  }
  return all.includes(current) ? all : [current, ...all];
}

/** One value per line (commas also separate); blanks dropped, duplicates kept once. */
function splitValues(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,，]/)
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * 检测设置: the values the rules' %placeholders% stand for (administrator accounts, finance accounts, office
 * networks …) and the time zone the rules read local times in. Read-only without rule.write.
 */
export function DetectionSettingsCard({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const settings = useDetectionSettings();
  const [values, setValues] = useState<Record<string, string>>({});
  const [timeZone, setTimeZone] = useState('');
  const [newName, setNewName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);

  useEffect(() => {
    if (!settings.data) return;
    setValues(Object.fromEntries(Object.entries(settings.data.placeholders).map(([k, v]) => [k, v.join('\n')])));
    setTimeZone(settings.data.timeZone);
  }, [settings.data]);

  const save = useMutation({
    mutationFn: () => updateDetectionSettings({ placeholders: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, splitValues(v)])), timeZone }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(ruleKeys.settings, saved);
      message.success(t('rules.settings.saved'));
    },
  });

  const zoneOptions = useMemo(() => zones(timeZone || 'Asia/Shanghai').map((z) => ({ value: z, label: z })), [timeZone]);
  const names = Object.keys(values).sort((a, b) => {
    const ka = KNOWN.indexOf(a);
    const kb = KNOWN.indexOf(b);
    if (ka !== -1 || kb !== -1) return (ka === -1 ? 99 : ka) - (kb === -1 ? 99 : kb);
    return a.localeCompare(b);
  });

  const addPlaceholder = () => {
    const name = newName.trim().replace(/^%|%$/g, '');
    if (!NAME.test(name) || name.length > 60) return setNameError(t('rules.settings.nameInvalid'));
    if (name in values) return setNameError(t('rules.settings.nameExists', { name }));
    setValues((v) => ({ ...v, [name]: '' }));
    setNewName('');
    setNameError(null);
  };

  return (
    <Card
      variant="borderless"
      title={t('rules.settings.title')}
      style={{ marginTop: 16 }}
      loading={!settings.data && !settings.isError}
      data-testid="detection-settings"
      extra={
        canWrite && (
          <Button type="primary" icon={<SaveOutlined />} loading={save.isPending} onClick={() => save.mutate()} data-testid="settings-save">
            {t('common.save')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('rules.settings.description')}</Typography.Paragraph>
      {settings.isError && <Alert type="error" showIcon title={errorText(settings.error)} style={{ marginBottom: 16 }} />}
      {save.isError && <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 16 }} data-testid="settings-error" />}
      <Form layout="vertical" component="div">
        <Form.Item label={t('rules.settings.timeZone')} extra={t('rules.settings.timeZoneHint')}>
          <Select showSearch value={timeZone} onChange={setTimeZone} options={zoneOptions} disabled={!canWrite} style={{ maxWidth: 320 }} data-testid="settings-time-zone" />
        </Form.Item>
        <Row gutter={[16, 0]}>
          {names.map((name) => (
            <Col xs={24} md={12} xl={8} key={name}>
              <Form.Item
                label={<Typography.Text code>%{name}%</Typography.Text>}
                extra={KNOWN.includes(name) ? t(`rules.settings.placeholders.${name}`) : t('rules.settings.customPlaceholder')}
              >
                <Input.TextArea
                  rows={4}
                  value={values[name]}
                  readOnly={!canWrite}
                  placeholder={t('rules.settings.valuesPlaceholder')}
                  onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
                  data-testid="placeholder-values"
                  data-name={name}
                />
              </Form.Item>
            </Col>
          ))}
        </Row>
        {canWrite && (
          <Form.Item label={t('rules.settings.addPlaceholder')} validateStatus={nameError ? 'error' : undefined} help={nameError ?? t('rules.settings.addPlaceholderHint')}>
            <Flex gap={8} style={{ maxWidth: 420 }}>
              <Input value={newName} onChange={(e) => setNewName(e.target.value)} onPressEnter={addPlaceholder} placeholder="office_networks" data-testid="placeholder-new-name" />
              <Button icon={<PlusOutlined />} onClick={addPlaceholder} data-testid="placeholder-add">
                {t('rules.settings.add')}
              </Button>
            </Flex>
          </Form.Item>
        )}
      </Form>
    </Card>
  );
}
