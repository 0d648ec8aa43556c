import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Empty, Flex, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Typography, type TableProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, errorText } from '../../api/client';
import type { ProgrammeItem } from '../../api/types';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { useDrawerState } from '../../components/useDrawerState';
import { useDrills } from '../drills/api';
import { programmeKeys, PROGRAMME_STATE_COLORS, useProgramme } from './api';
import { FormDrawer } from '../../components/FormDrawer';

interface Values {
  kind: 'drill' | 'plan_review';
  project: string;
  purpose?: string;
  mode?: string;
  plannedDate: Dayjs;
  departments?: string;
  arrangement?: string;
  budget?: string;
  drillId?: string | null;
  done?: boolean;
}

function ItemDrawer({ item, year, open, onClose, onSaved }: { item: ProgrammeItem | null; year: number; open: boolean; onClose: () => void; onSaved: (year: number) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const drills = useDrills();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <FormDrawer
      title={item ? t('programme.editTitle') : t('programme.createTitle')}
      open={open}
      onClose={onClose}
      size={560}
      onSave={() => form.submit()}
      saving={busy}
      saveTestId="programme-save"
      error={error}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="programme"
        initialValues={
          item
            ? { ...item, plannedDate: dayjs(item.plannedDate), done: item.state === 'done' }
            : { kind: 'drill', plannedDate: dayjs(`${year}-06-01`) }
        }
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          const body = {
            year: v.plannedDate.year(),
            kind: v.kind,
            project: v.project.trim(),
            purpose: v.purpose?.trim() ?? '',
            mode: v.mode?.trim() ?? '',
            plannedDate: v.plannedDate.format('YYYY-MM-DD'),
            departments: v.departments?.trim() ?? '',
            arrangement: v.arrangement?.trim() ?? '',
            budget: v.budget?.trim() ?? '',
            drillId: v.drillId ?? null,
            ...(item ? { done: !!v.done } : {}),
          };
          try {
            if (item) await api(`/programme/${item.id}`, { method: 'PATCH', body });
            else await api('/programme', { method: 'POST', body });
            message.success(t('common.saved'));
            await queryClient.invalidateQueries({ queryKey: programmeKeys.all });
            // Dated in another year: show that year, where the row now is.
            onSaved(body.year);
            onClose();
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Flex gap={12}>
          <Form.Item name="kind" label={t('programme.kind')} style={{ flex: 1 }}>
            <Select options={[{ value: 'drill', label: t('programme.kinds.drill') }, { value: 'plan_review', label: t('programme.kinds.plan_review') }]} />
          </Form.Item>
          <Form.Item name="plannedDate" label={t('programme.cols.time')} style={{ flex: 1 }} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Form.Item name="project" label={t('programme.cols.project')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('programme.cols.project') }) }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="purpose" label={t('programme.cols.purpose')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="mode" label={t('programme.cols.mode')} style={{ flex: 1 }}>
            <Input maxLength={100} placeholder={t('drillModes.tabletop')} />
          </Form.Item>
          <Form.Item name="budget" label={t('programme.cols.budget')} style={{ flex: 1 }}>
            <Input maxLength={100} />
          </Form.Item>
        </Flex>
        <Form.Item name="departments" label={t('programme.cols.departments')}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="arrangement" label={t('programme.cols.arrangement')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} />
        </Form.Item>
        <Form.Item name="drillId" label={t('programme.drill')}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={(drills.data ?? []).map((d) => ({ value: d.id, label: d.title }))} placeholder={t('programme.drillPlaceholder')} data-testid="programme-drill" />
        </Form.Item>
        {item && (
          <Form.Item name="done" label={t('programme.done')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </FormDrawer>
  );
}

/** 年度演练计划: the year's programme in the columns of GB/T 38645 table A.1, due and overdue rows highlighted. */
export function ProgrammePage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [year, setYear] = useState(dayjs().year());
  const items = useProgramme(year);
  const editing = useDrawerState<ProgrammeItem>();
  const canWrite = can('programme.write');

  const columns: TableProps<ProgrammeItem>['columns'] = [
    { title: t('programme.cols.project'), dataIndex: 'project', width: 200, fixed: 'left', render: (v: string, i) => <Space direction="vertical" size={0}><Typography.Text strong>{v}</Typography.Text>{i.kind === 'plan_review' && <Tag>{t('programme.kinds.plan_review')}</Tag>}</Space> },
    { title: t('programme.cols.purpose'), dataIndex: 'purpose', width: 220, render: (v: string) => <span className="fd-multiline">{v || '—'}</span> },
    { title: t('programme.cols.mode'), dataIndex: 'mode', width: 100, render: (v: string) => v || '—' },
    { title: t('programme.cols.time'), dataIndex: 'plannedDate', width: 110 },
    { title: t('programme.cols.departments'), dataIndex: 'departments', width: 140, render: (v: string) => v || '—' },
    { title: t('programme.cols.arrangement'), dataIndex: 'arrangement', width: 240, render: (v: string) => <span className="fd-multiline">{v || '—'}</span> },
    { title: t('programme.cols.budget'), dataIndex: 'budget', width: 90, render: (v: string) => v || '—' },
    { title: t('common.status'), dataIndex: 'state', width: 90, render: (s: ProgrammeItem['state']) => <Tag color={PROGRAMME_STATE_COLORS[s]} data-testid="programme-state">{t(`programme.states.${s}`)}</Tag> },
    {
      title: t('programme.drill'),
      width: 150,
      fixed: 'right',
      render: (_, i) =>
        i.drillId ? (
          <Link to={`/drills/${i.drillId}`} data-testid="programme-drill-link">{t('programme.openDrill')}</Link>
        ) : canWrite && can('drill.manage') && i.kind === 'drill' ? (
          <Button size="small" type="link" onClick={() => navigate(`/drills/new?programme=${i.id}`)}>
            {t('programme.prepareDrill')}
          </Button>
        ) : (
          '—'
        ),
    },
    ...(canWrite
      ? [{ title: '', key: 'edit', width: 60, fixed: 'right' as const, render: (_: unknown, i: ProgrammeItem) => <Button type="text" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => editing.show(i)} /> }]
      : []),
  ];

  return (
    <PageContainer
      testId="programme-page"
      title={t('programme.title')}
      description={t('programme.description')}
      extra={
        <Space>
          <InputNumber value={year} min={2000} max={2100} onChange={(v) => v && setYear(v)} addonBefore={t('common.year')} style={{ width: 150 }} />
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => editing.show(null)} data-testid="programme-new">
              {t('programme.new')}
            </Button>
          )}
        </Space>
      }
    >
      {items.isError && <Alert type="error" showIcon title={errorText(items.error)} />}
      <Table<ProgrammeItem>
        rowKey="id"
        columns={columns}
        dataSource={items.data ?? []}
        loading={items.isFetching}
        pagination={false}
        bordered
        scroll={{ x: 1500 }}
        rowClassName={(i) => (i.state === 'overdue' ? 'fd-row-overdue' : i.state === 'due' ? 'fd-row-due' : '')}
        onRow={(i) => ({ 'data-testid': 'programme-row', 'data-state': i.state }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('programme.empty', { year })} /> }}
        data-testid="programme-table"
      />
      <ItemDrawer open={editing.open} item={editing.item} year={year} onClose={editing.close} onSaved={setYear} key={editing.key} />
    </PageContainer>
  );
}

/** The home page card: what in this year's programme is due soon or overdue. */
export function ProgrammeDueList() {
  const { t } = useTranslation();
  const items = useProgramme(dayjs().year());
  const urgent = (items.data ?? []).filter((i) => i.state === 'due' || i.state === 'overdue').sort((a, b) => a.plannedDate.localeCompare(b.plannedDate));
  if (items.isPending) return null;
  if (urgent.length === 0) return <Typography.Text type="secondary">{t('programme.nothingDue')}</Typography.Text>;
  return (
    <Flex vertical gap={6} data-testid="programme-due">
      {urgent.map((i) => (
        <Flex key={i.id} gap={8} align="center">
          <Tag color={PROGRAMME_STATE_COLORS[i.state]}>{t(`programme.states.${i.state}`)}</Tag>
          <Typography.Text className="fd-mono">{i.plannedDate}</Typography.Text>
          {i.drillId ? <Link to={`/drills/${i.drillId}`}>{i.project}</Link> : <Link to="/programme">{i.project}</Link>}
        </Flex>
      ))}
    </Flex>
  );
}
