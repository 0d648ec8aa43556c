import { AppstoreOutlined, EditOutlined, PlusOutlined, TableOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Drawer, Flex, Form, Input, Modal, Segmented, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { errorText } from '../../api/client';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { useDrills } from '../drills/api';
import { personLabel, useActivePeople } from '../org/api';
import {
  ACTION_PRIORITIES,
  ACTION_SOURCES,
  ACTION_STATUS_COLORS,
  ACTION_STATUSES,
  actionKeys,
  createAction,
  NEEDS_NOTE,
  PRIORITY_COLORS,
  transitionAction,
  useActions,
  type ActionPriority,
  type ActionSource,
  type ActionStatus,
  type ActionTransition,
  type CorrectiveAction,
} from './api';
import { ActionBoard } from './ActionBoard';
import { ActionEditDrawer } from './ActionEditDrawer';

interface CreateValues {
  title: string;
  description?: string;
  ownerPersonId: string;
  dueDate: Dayjs;
  priority: ActionPriority;
  sourceKind: ActionSource;
  drillId?: string;
}

/** Which transitions a status allows (the server decides in the end). */
const NEXT: Record<ActionStatus, ActionTransition[]> = {
  open: ['start', 'complete'],
  in_progress: ['complete'],
  done: ['verify', 'reopen'],
  verified: [],
};

function CreateDrawer({ open, onClose, drillId }: { open: boolean; onClose: () => void; drillId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateValues>();
  const people = useActivePeople();
  const drills = useDrills();

  useEffect(() => {
    if (open) form.setFieldsValue({ drillId, sourceKind: drillId ? 'objective' : 'other', priority: 'medium' });
  }, [open, drillId, form]);

  const create = useMutation({
    mutationFn: (v: CreateValues) =>
      createAction({
        title: v.title.trim(),
        description: v.description?.trim() || undefined,
        ownerPersonId: v.ownerPersonId,
        dueDate: v.dueDate.format('YYYY-MM-DD'),
        priority: v.priority,
        sourceKind: v.sourceKind,
        drillId: v.drillId || undefined,
      }),
    onSuccess: () => {
      message.success(t('actions.created'));
      void queryClient.invalidateQueries({ queryKey: actionKeys.all });
      form.resetFields();
      onClose();
    },
    onError: (error) => message.error(errorText(error)),
  });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('actions.new')}
      size={480}
      destroyOnHidden
      extra={
        <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="action-create-ok">
          {t('common.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} data-testid="action-form">
        <Form.Item name="title" label={t('actions.fields.title')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={300} data-testid="action-title" />
        </Form.Item>
        <Form.Item name="description" label={t('actions.fields.description')}>
          <Input.TextArea rows={3} maxLength={5000} data-testid="action-description" />
        </Form.Item>
        <Form.Item name="ownerPersonId" label={t('actions.fields.owner')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={people.isPending}
            data-testid="action-owner"
            options={(people.data ?? []).map((p) => ({ value: p.id, label: personLabel(p) }))}
          />
        </Form.Item>
        <Form.Item name="dueDate" label={t('actions.fields.dueDate')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} data-testid="action-due" />
        </Form.Item>
        <Form.Item name="priority" label={t('actions.fields.priority')}>
          <Select data-testid="action-priority" options={ACTION_PRIORITIES.map((p) => ({ value: p, label: t(`actions.priorities.${p}`) }))} />
        </Form.Item>
        <Form.Item name="sourceKind" label={t('actions.fields.source')}>
          <Select data-testid="action-source" options={ACTION_SOURCES.map((s) => ({ value: s, label: t(`actions.sources.${s}`) }))} />
        </Form.Item>
        <Form.Item name="drillId" label={t('actions.fields.drill')}>
          <Select allowClear data-testid="action-drill" options={(drills.data ?? []).map((d) => ({ value: d.id, label: d.title }))} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/**
 * 整改措施: the corrective actions as a table or a kanban board (看板) — filters, overdue in red, start / complete /
 * verify / reopen (buttons, or dragging a card across the board), edit.
 */
export function ActionsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const drillId = params.get('drillId') ?? undefined;
  const [status, setStatus] = useState<ActionStatus | undefined>();
  const [overdueOnly, setOverdueOnly] = useState(params.get('overdue') === 'true');
  const [creating, setCreating] = useState(params.get('create') === '1' && can('action.write'));
  const [asking, setAsking] = useState<{ action: CorrectiveAction; transition: 'complete' | 'verify' } | null>(null);
  const [note, setNote] = useState('');
  const [editing, setEditing] = useState<CorrectiveAction | null>(null);
  const view = params.get('view') === 'board' ? 'board' : 'table';
  // The board shows every status in its own column; the status filter is the table's.
  const actions = useActions({ drillId, status: view === 'board' ? undefined : status, overdue: overdueOnly ? 'true' : undefined });
  const drills = useDrills();
  const drillTitles = useMemo(() => new Map((drills.data ?? []).map((d) => [d.id, d.title])), [drills.data]);
  const canWrite = can('action.write');

  const move = useMutation({
    mutationFn: ({ id, transition, note }: { id: string; transition: ActionTransition; note?: string }) => transitionAction(id, transition, note),
    onSuccess: (_data, vars) => {
      message.success(t(`actions.transitioned.${vars.transition}`));
      setAsking(null);
      setNote('');
      void queryClient.invalidateQueries({ queryKey: actionKeys.all });
    },
    onError: (error) => message.error(errorText(error)),
  });

  /** Runs a transition, asking first for the note that completing and verifying need. */
  const runTransition = (action: CorrectiveAction, transition: ActionTransition) => {
    if (NEEDS_NOTE.has(transition)) {
      setNote('');
      setAsking({ action, transition: transition as 'complete' | 'verify' });
    } else move.mutate({ id: action.id, transition });
  };

  const setView = (value: 'table' | 'board') => {
    const next = new URLSearchParams(params);
    if (value === 'board') next.set('view', 'board');
    else next.delete('view');
    next.delete('create');
    setParams(next, { replace: true });
  };

  const setDrill = (value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set('drillId', value);
    else next.delete('drillId');
    next.delete('create');
    setParams(next, { replace: true });
  };

  const closeCreate = () => {
    setCreating(false);
    if (params.get('create')) {
      const next = new URLSearchParams(params);
      next.delete('create');
      setParams(next, { replace: true });
    }
  };

  return (
    <PageContainer
      testId="actions-page"
      title={t('actions.title')}
      description={t('actions.description')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="action-new">
            {t('actions.new')}
          </Button>
        )
      }
    >
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Segmented<'table' | 'board'>
          value={view}
          onChange={setView}
          data-testid="actions-view"
          options={[
            { value: 'table', icon: <TableOutlined />, label: <span data-testid="actions-view-table">{t('actions.views.table')}</span> },
            { value: 'board', icon: <AppstoreOutlined />, label: <span data-testid="actions-view-board">{t('actions.views.board')}</span> },
          ]}
        />
        <Select
          allowClear
          disabled={view === 'board'}
          placeholder={t('actions.filters.status')}
          style={{ width: 160 }}
          value={status}
          onChange={setStatus}
          data-testid="filter-status"
          options={ACTION_STATUSES.map((s) => ({ value: s, label: t(`actions.statuses.${s}`) }))}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('actions.filters.drill')}
          style={{ width: 280 }}
          value={drillId}
          onChange={setDrill}
          data-testid="filter-drill"
          options={(drills.data ?? []).map((d) => ({ value: d.id, label: d.title }))}
        />
        <Space>
          <Switch checked={overdueOnly} onChange={setOverdueOnly} data-testid="filter-overdue" />
          <span>{t('actions.filters.overdueOnly')}</span>
        </Space>
      </Flex>
      {view === 'board' ? (
        <ActionBoard
          actions={actions.data ?? []}
          canWrite={canWrite}
          drillTitles={drillTitles}
          onMove={runTransition}
          onEdit={setEditing}
          moving={move.isPending && move.variables ? { id: move.variables.id, transition: move.variables.transition } : undefined}
        />
      ) : (
        <Table<CorrectiveAction>
          rowKey="id"
          size="middle"
          loading={actions.isPending}
          dataSource={actions.data}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 1000 }}
          rowClassName={(a) => (a.overdue ? 'fd-row-overdue' : '')}
          onRow={(a) => ({ 'data-testid': 'action-row', 'data-status': a.status, 'data-overdue': String(a.overdue), 'data-title': a.title }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('actions.fields.title'),
              dataIndex: 'title',
              render: (v: string, a) => (
                <Flex vertical>
                  <Typography.Text strong>{v}</Typography.Text>
                  {a.description && <Typography.Text type="secondary" style={{ fontSize: 12 }} className="fd-multiline">{a.description}</Typography.Text>}
                  {a.doneNote && <Typography.Text style={{ fontSize: 12 }}>{t('actions.doneNote')}：{a.doneNote}</Typography.Text>}
                  {a.verificationEvidence && (
                    <Typography.Text style={{ fontSize: 12 }}>
                      {t('actions.evidence')}：{a.verificationEvidence}（{a.verifiedBy}）
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            { title: t('actions.fields.owner'), width: 110, render: (_, a) => a.owner.name },
            {
              title: t('actions.fields.dueDate'),
              dataIndex: 'dueDate',
              width: 140,
              render: (v: string, a) => (
                <Space size={4}>
                  <span>{v}</span>
                  {a.overdue && <Tag color="red" data-testid="action-overdue">{t('actions.overdue')}</Tag>}
                </Space>
              ),
            },
            { title: t('actions.fields.priority'), dataIndex: 'priority', width: 80, render: (v: ActionPriority) => <Tag color={PRIORITY_COLORS[v]}>{t(`actions.priorities.${v}`)}</Tag> },
            { title: t('actions.fields.source'), dataIndex: 'sourceKind', width: 100, render: (v: ActionSource) => t(`actions.sources.${v}`) },
            {
              title: t('actions.fields.drill'),
              dataIndex: 'drillId',
              width: 180,
              render: (v: string | null) => (v ? <Link to={`/drills/${v}/evaluation`}>{drillTitles.get(v) ?? t('actions.fields.drill')}</Link> : '—'),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 100,
              render: (v: ActionStatus) => (
                <Tag color={ACTION_STATUS_COLORS[v]} data-testid="action-status">
                  {t(`actions.statuses.${v}`)}
                </Tag>
              ),
            },
            ...(canWrite
              ? [
                  {
                    title: t('common.actions'),
                    key: 'ops',
                    width: 200,
                    render: (_: unknown, a: CorrectiveAction) => (
                      <Space size={4} wrap>
                        {a.status !== 'verified' && <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(a)} aria-label={t('common.edit')} data-testid="action-edit" />}
                        {NEXT[a.status].map((tr) => (
                          <Button
                            key={tr}
                            size="small"
                            type={tr === 'reopen' ? 'default' : 'link'}
                            data-testid={`action-${tr}`}
                            loading={move.isPending && move.variables?.id === a.id && move.variables.transition === tr}
                            onClick={() => runTransition(a, tr)}
                          >
                            {t(`actions.transitions.${tr}`)}
                          </Button>
                        ))}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <ActionEditDrawer action={editing} onClose={() => setEditing(null)} />
      <CreateDrawer open={creating} onClose={closeCreate} drillId={drillId} />
      <Modal
        open={asking !== null}
        title={asking ? t(`actions.ask.${asking.transition}`, { title: asking.action.title }) : ''}
        onCancel={() => setAsking(null)}
        okText={asking ? t(`actions.transitions.${asking.transition}`) : undefined}
        okButtonProps={{ disabled: !note.trim(), loading: move.isPending, ...({ 'data-testid': 'action-note-ok' } as Record<string, string>) }}
        onOk={() => asking && move.mutate({ id: asking.action.id, transition: asking.transition, note: note.trim() })}
        destroyOnHidden
      >
        <Input.TextArea
          rows={3}
          maxLength={5000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={asking?.transition === 'verify' ? t('actions.ask.evidencePlaceholder') : t('actions.ask.notePlaceholder')}
          data-testid="action-note"
        />
      </Modal>
    </PageContainer>
  );
}
