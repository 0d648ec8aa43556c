import { ClockCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Cascader, DatePicker, Empty, Flex, Form, Input, Select, Space, Switch, Table, Tag, Typography, type TableProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, errorText } from '../../api/client';
import { INCIDENT_LEVELS, type Incident, type IncidentLevel } from '../../api/types';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { formatDateTime } from '../../lib/format';
import { usePlans } from '../plans/api';
import { loc, taxonomyLabels, useTaxonomy } from '../timeline/api';
import { ExerciseMark } from '../timeline/ExerciseMark';
import { INCIDENT_STATUS_COLORS } from '../timeline/meta';
import { incidentKeys, useIncidents } from './api';
import { FormDrawer } from '../../components/FormDrawer';

interface Values {
  title: string;
  description?: string;
  classification: [string, string?];
  level?: IncidentLevel;
  occurredAt?: Dayjs;
  detectedAt?: Dayjs;
  affectedSystems?: string[];
  scope?: string;
  planId?: string;
}

function CreateDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const taxonomy = useTaxonomy();
  const plans = usePlans();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const options = (taxonomy.data?.categories ?? []).map((c) => ({ value: c.key, label: loc(c.name), children: c.subcategories.map((s) => ({ value: s.key, label: loc(s.name) })) }));
  return (
    <FormDrawer
      title={t('incidents.createTitle')}
      open={open}
      onClose={onClose}
      size={600}
      onSave={() => form.submit()}
      saving={busy}
      saveTestId="incident-save"
      saveLabel={t('incidents.create')}
      error={error}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="incident"
        // Recording an incident means it has been detected by now at the latest: the regulator's clock starts here.
        initialValues={{ detectedAt: dayjs() }}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            const incident = await api<Incident>('/incidents', {
              method: 'POST',
              body: {
                title: v.title.trim(),
                description: v.description?.trim() ?? '',
                category: v.classification[0],
                subcategory: v.classification[1] ?? null,
                level: v.level ?? null,
                occurredAt: v.occurredAt?.toISOString() ?? null,
                detectedAt: v.detectedAt?.toISOString() ?? null,
                affectedSystems: v.affectedSystems ?? [],
                scope: v.scope?.trim() ?? '',
                ...(v.planId ? { planId: v.planId } : {}),
              },
            });
            await queryClient.invalidateQueries({ queryKey: incidentKeys.all });
            message.success(t('common.createdNamed', { name: incident.title }));
            navigate(`/incidents/${incident.id}`);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="title" label={t('incidents.fields.title')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('incidents.fields.title') }) }]}>
          <Input maxLength={200} autoFocus />
        </Form.Item>
        <Form.Item name="classification" label={t('incidents.fields.category')} rules={[{ required: true, message: t('validation.select', { field: t('incidents.fields.category') }) }]} extra={t('incidents.taxonomyHelp')}>
          <Cascader options={options} changeOnSelect showSearch placeholder={t('incidents.categoryPlaceholder')} />
        </Form.Item>
        <Form.Item name="level" label={t('incidents.fields.level')} extra={t('incidents.levelHelp')}>
          <Select allowClear options={(taxonomy.data?.levels ?? INCIDENT_LEVELS.map((l) => ({ level: l, name: { 'zh-CN': l, en: l } }))).map((l) => ({ value: l.level, label: `${l.level} · ${loc(l.name)}` }))} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="occurredAt" label={t('incidents.keyTimes.occurredAt')} style={{ flex: 1 }}>
            <DatePicker showTime style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="detectedAt" label={t('incidents.keyTimes.detectedAt')} style={{ flex: 1 }}>
            <DatePicker showTime style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Form.Item name="affectedSystems" label={t('incidents.fields.affectedSystems')}>
          <Select mode="tags" placeholder={t('incidents.affectedPlaceholder')} />
        </Form.Item>
        <Form.Item name="scope" label={t('incidents.fields.scope')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
        </Form.Item>
        <Form.Item name="planId" label={t('incidents.fields.plan')} extra={t('incidents.planHelp')}>
          <Select allowClear options={(plans.data ?? []).filter((p) => p.publishedNumber !== null).map((p) => ({ value: p.id, label: `${p.title}（v${p.publishedNumber}）` }))} />
        </Form.Item>
        <Form.Item name="description" label={t('incidents.fields.description')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={10000} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

/** 安全事件: real incidents; drill incidents only on request, marked 【演练】. */
export function IncidentsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [withDrills, setWithDrills] = useState(false);
  const [creating, setCreating] = useState(false);
  const incidents = useIncidents(withDrills ? 'include' : 'exclude');
  const labels = taxonomyLabels(useTaxonomy().data);

  const columns: TableProps<Incident>['columns'] = [
    {
      title: t('incidents.fields.title'),
      render: (_, i) => (
        <Space size={6} wrap>
          {i.isDrill && <ExerciseMark />}
          <Link to={i.isDrill && i.drillId ? `/drills/${i.drillId}` : `/incidents/${i.id}`}>
            <Typography.Text strong>{i.title}</Typography.Text>
          </Link>
        </Space>
      ),
    },
    { title: t('incidents.fields.category'), width: 220, render: (_, i) => `${labels.category(i.category)}${i.subcategory ? ` / ${labels.subcategory(i.category, i.subcategory)}` : ''}` },
    { title: t('incidents.fields.level'), width: 150, render: (_, i) => (i.level ? <Tag color={i.level === 'I' || i.level === 'II' ? 'red' : 'orange'}>{labels.level(i.level)}</Tag> : '—') },
    { title: t('common.status'), width: 100, render: (_, i) => <Tag color={INCIDENT_STATUS_COLORS[i.status]}>{t(`incidentStatus.${i.status}`)}</Tag> },
    { title: t('incidents.keyTimes.detectedAt'), width: 170, render: (_, i) => formatDateTime(i.detectedAt) || '—' },
  ];

  return (
    <PageContainer
      testId="incidents-page"
      title={t('incidents.title')}
      description={t('incidents.description')}
      extra={
        <>
          <Button icon={<ClockCircleOutlined />} onClick={() => navigate('/incidents/reporting-presets')} data-testid="incidents-reporting-presets">
            {t('reportingPresets.open')}
          </Button>
          {can('incident.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="incident-new">
              {t('incidents.new')}
            </Button>
          )}
        </>
      }
    >
      <Flex gap={8} align="center" style={{ marginBottom: 16 }}>
        <Switch checked={withDrills} onChange={setWithDrills} data-testid="incidents-with-drills" />
        <span>{t('incidents.showDrills')}</span>
      </Flex>
      {incidents.isError && <Alert type="error" showIcon title={errorText(incidents.error)} />}
      <Table<Incident>
        rowKey="id"
        columns={columns}
        dataSource={incidents.data ?? []}
        loading={incidents.isFetching}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incidents.empty')} /> }}
        data-testid="incidents-table"
      />
      <CreateDrawer open={creating} onClose={() => setCreating(false)} />
    </PageContainer>
  );
}
