import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { errorText } from '../../api/client';
import { INCIDENT_LEVELS, type IncidentLevel, type ReportingPreset } from '../../api/types';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { loc, taxonomyLabels, useTaxonomy } from '../timeline/api';
import { incidentKeys, reportingPresetKeys, updateReportingPreset, useReportingPresets, type ReportingPresetPatch } from './api';

interface Values {
  withinMinutes: number;
  minLevel: IncidentLevel;
  recipientZh: string;
  recipientEn: string;
}

/** The operator type's name in the interface language (the regulation's wording, sent by the API). */
function useOperatorName() {
  const { i18n } = useTranslation();
  return (preset: ReportingPreset) => (i18n.language === 'en' ? preset.operatorType.en : preset.operatorType['zh-CN']);
}

/** 60 分钟（1 小时） / 60 min (1 h). */
function Deadline({ minutes }: { minutes: number }) {
  const { t } = useTranslation();
  const hours = Number((minutes / 60).toFixed(2));
  return (
    <span data-testid="preset-minutes-value" data-minutes={minutes} style={{ whiteSpace: 'nowrap' }}>
      <Typography.Text strong>{t('reportingPresets.minutes', { minutes })}</Typography.Text>
      <Typography.Text type="secondary">{t('reportingPresets.hours', { hours })}</Typography.Text>
    </span>
  );
}

function EditModal({ preset, onClose }: { preset: ReportingPreset | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const operatorName = useOperatorName();
  const labels = taxonomyLabels(useTaxonomy().data);
  const [form] = Form.useForm<Values>();
  const mutation = useMutation({
    mutationFn: (v: Values) =>
      updateReportingPreset(preset!.key, { withinMinutes: v.withinMinutes, minLevel: v.minLevel, recipient: { 'zh-CN': v.recipientZh.trim(), en: v.recipientEn.trim() } }),
    onSuccess: async () => {
      message.success(t('common.saved'));
      await queryClient.invalidateQueries({ queryKey: reportingPresetKeys.all });
      onClose();
    },
  });
  return (
    <Modal
      open={preset !== null}
      title={preset ? t('reportingPresets.editTitle', { name: operatorName(preset) }) : ''}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={mutation.isPending} onClick={() => form.submit()} data-testid="preset-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {mutation.isError && <Alert type="error" showIcon title={errorText(mutation.error)} style={{ marginBottom: 16 }} data-testid="form-error" />}
      {preset && (
        <Form<Values>
          form={form}
          name="preset"
          layout="vertical"
          initialValues={{ withinMinutes: preset.withinMinutes, minLevel: preset.minLevel, recipientZh: preset.recipient['zh-CN'], recipientEn: preset.recipient.en }}
          onFinish={(v) => mutation.mutate(v)}
        >
          <Form.Item name="withinMinutes" label={t('reportingPresets.deadline')} rules={[{ required: true, message: t('validation.required', { field: t('reportingPresets.deadline') }) }]}>
            <InputNumber min={1} max={43200} precision={0} addonAfter={t('reportingPresets.minutesUnit')} style={{ width: 200 }} data-testid="preset-minutes" />
          </Form.Item>
          <Form.Item name="minLevel" label={t('reportingPresets.minLevel')}>
            <Select options={INCIDENT_LEVELS.map((l) => ({ value: l, label: t('reportingPresets.minLevelValue', { level: labels.level(l) }) }))} data-testid="preset-min-level" />
          </Form.Item>
          <Form.Item name="recipientZh" label={t('reportingPresets.recipientZh')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('reportingPresets.recipientZh') }) }]}>
            <Input maxLength={200} data-testid="preset-recipient-zh" />
          </Form.Item>
          <Form.Item name="recipientEn" label={t('reportingPresets.recipientEn')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('reportingPresets.recipientEn') }) }]}>
            <Input maxLength={200} data-testid="preset-recipient-en" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

/** 上报时限设置: the regulator's reporting deadlines per kind of operator; the administrator picks the one that applies. */
export function ReportingPresetsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const canWrite = can('settings.write');
  const presets = useReportingPresets();
  const labels = taxonomyLabels(useTaxonomy().data);
  const operatorName = useOperatorName();
  const [editing, setEditing] = useState<ReportingPreset | null>(null);

  const activate = useMutation({
    mutationFn: (key: string) => updateReportingPreset(key, { active: true } satisfies ReportingPresetPatch),
    onSuccess: async (saved) => {
      message.success(t('reportingPresets.activated', { name: operatorName(saved) }));
      await queryClient.invalidateQueries({ queryKey: reportingPresetKeys.all });
      await queryClient.invalidateQueries({ queryKey: incidentKeys.all });
    },
    onError: (error) => message.error(errorText(error)),
  });

  const columns: TableProps<ReportingPreset>['columns'] = [
    {
      title: t('reportingPresets.operatorType'),
      width: 220,
      render: (_, p) => (
        <Typography.Text strong data-testid="preset-operator">
          {operatorName(p)}
        </Typography.Text>
      ),
    },
    { title: t('reportingPresets.deadline'), width: 170, render: (_, p) => <Deadline minutes={p.withinMinutes} /> },
    { title: t('reportingPresets.minLevel'), width: 140, render: (_, p) => <span data-testid="preset-min-level-value">{t('reportingPresets.minLevelValue', { level: labels.level(p.minLevel) })}</span> },
    { title: t('reportingPresets.recipient'), width: 200, render: (_, p) => <span data-testid="preset-recipient">{loc(p.recipient)}</span> },
    {
      title: t('reportingPresets.requiredFields'),
      render: (_, p) => (
        <Space size={[4, 4]} wrap data-testid="preset-fields">
          {p.requiredFields.map((f) => (
            <Tag key={f} bordered={false}>
              {labels.field(f)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('reportingPresets.active'),
      width: 150,
      render: (_, p) => (
        <Flex gap={8} align="center">
          {canWrite && (
            <Radio checked={p.active} disabled={activate.isPending} onChange={() => !p.active && activate.mutate(p.key)} aria-label={t('reportingPresets.active')} data-testid="preset-activate" />
          )}
          {p.active && (
            <Tag color="green" data-testid="preset-active-tag">
              {t('reportingPresets.activeTag')}
            </Tag>
          )}
        </Flex>
      ),
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            width: 90,
            render: (_: unknown, p: ReportingPreset) => (
              <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} data-testid="preset-edit">
                {t('reportingPresets.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <PageContainer
      testId="reporting-presets-page"
      title={t('reportingPresets.title')}
      description={t('reportingPresets.description')}
      extra={
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/incidents')} data-testid="reporting-presets-back">
          {t('common.back')}
        </Button>
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('reportingPresets.regulation')} description={t('reportingPresets.appliesToNew')} data-testid="reporting-presets-regulation" />
      {!canWrite && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('reportingPresets.readOnly')} data-testid="reporting-presets-readonly" />}
      {presets.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={errorText(presets.error)} />}
      <Table<ReportingPreset>
        rowKey="key"
        columns={columns}
        dataSource={presets.data ?? []}
        loading={presets.isFetching || activate.isPending}
        pagination={false}
        scroll={{ x: 1100 }}
        onRow={(p) => ({ 'data-testid': 'preset-row', 'data-key': p.key, 'data-active': String(p.active) }) as HTMLAttributes<HTMLElement>}
        data-testid="reporting-presets-table"
      />
      {canWrite && <EditModal preset={editing} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}
