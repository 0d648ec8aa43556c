import { EditOutlined, KeyOutlined, LockOutlined, LogoutOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api/client';
import { ROLES, type Role, type User } from '../../api/types';
import { ROLE_COLORS } from '../../app/AppLayout';
import { ME_KEY, useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { useDrawerState } from '../../components/useDrawerState';
import { currentLocale } from '../../i18n';
import { formatDateTime, nullIfBlank } from '../../lib/format';
import { FormDrawer } from '../../components/FormDrawer';

const USERS_KEY = ['users'] as const;

interface Values {
  login?: string;
  displayName: string;
  email?: string;
  role: Role;
  locale: 'zh-CN' | 'en';
  password?: string;
  confirm?: string;
}

function passwordRules(t: (key: string, o?: Record<string, unknown>) => string, field: string) {
  return [
    { required: true, message: t('validation.required', { field }) },
    { min: 10, message: t('validation.passwordMin') },
  ];
}

function confirmRule(t: (key: string) => string, other: string) {
  return ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: (_: unknown, value: unknown) => (!value || value === getFieldValue(other) ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch')))),
  });
}

function UserDrawer({ user, open, onClose }: { user: User | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const mutation = useMutation({
    mutationFn: (values: Values) => {
      if (user) {
        return api<User>(`/users/${user.id}`, {
          method: 'PATCH',
          body: { displayName: values.displayName.trim(), email: nullIfBlank(values.email), role: values.role, locale: values.locale },
        });
      }
      const email = nullIfBlank(values.email);
      return api<User>('/users', {
        method: 'POST',
        body: { login: values.login!.trim(), displayName: values.displayName.trim(), ...(email ? { email } : {}), role: values.role, password: values.password, locale: values.locale },
      });
    },
    onSuccess: async (saved) => {
      message.success(user ? t('common.saved') : t('common.createdNamed', { name: saved.login }));
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      onClose();
    },
  });
  return (
    <FormDrawer
      title={user ? t('users.editTitle') : t('users.createTitle')}
      open={open}
      onClose={onClose}
      size={480}
      onSave={() => form.submit()}
      saving={mutation.isPending}
      saveTestId="user-save"
      error={mutation.isError ? mutation.error : null}
    >
      <Form<Values>
        form={form}
        name="user"
        layout="vertical"
        initialValues={user ? { ...user, email: user.email ?? undefined } : { role: 'responder', locale: currentLocale() }}
        onFinish={(values) => mutation.mutate(values)}
      >
        <Form.Item
          name="login"
          label={t('users.login')}
          rules={
            user
              ? []
              : [
                  { required: true, message: t('validation.required', { field: t('users.login') }) },
                  { pattern: /^[A-Za-z0-9._@-]{2,64}$/, message: t('validation.login') },
                ]
          }
        >
          <Input maxLength={64} disabled={!!user} autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('users.displayName') }) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="email" label={t('users.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
          <Input maxLength={200} autoComplete="off" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="role" label={t('users.role')} style={{ flex: 1 }} rules={[{ required: true }]}>
            <Select options={ROLES.map((r) => ({ value: r, label: <Tag color={ROLE_COLORS[r]}>{t(`roles.${r}`)}</Tag> }))} />
          </Form.Item>
          <Form.Item name="locale" label={t('users.locale')} style={{ flex: 1 }}>
            <Select
              options={[
                { value: 'zh-CN', label: t('lang.zh-CN') },
                { value: 'en', label: t('lang.en') },
              ]}
            />
          </Form.Item>
        </Flex>
        {!user && (
          <>
            <Form.Item name="password" label={t('users.password')} rules={passwordRules(t, t('users.password'))} extra={t('setup.passwordHelp')}>
              <Input.Password maxLength={200} autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              name="confirm"
              label={t('users.confirmPassword')}
              dependencies={['password']}
              rules={[{ required: true, message: t('validation.required', { field: t('users.confirmPassword') }) }, confirmRule(t, 'password')]}
            >
              <Input.Password maxLength={200} autoComplete="new-password" />
            </Form.Item>
          </>
        )}
      </Form>
    </FormDrawer>
  );
}

function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const mutation = useMutation({
    mutationFn: (password: string) => api<User>(`/users/${user!.id}`, { method: 'PATCH', body: { password } }),
    onSuccess: () => {
      message.success(t('users.passwordReset'));
      onClose();
    },
  });
  return (
    <Modal
      title={user ? t('users.resetPasswordTitle', { name: user.displayName }) : ''}
      open={user !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      destroyOnHidden
      forceRender
    >
      {mutation.isError && <Alert type="error" showIcon title={errorText(mutation.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} name="reset-password" layout="vertical" onFinish={(values) => mutation.mutate(values.password)}>
        <Form.Item name="password" label={t('users.newPassword')} rules={passwordRules(t, t('users.newPassword'))}>
          <Input.Password maxLength={200} autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('users.confirmPassword')}
          dependencies={['password']}
          rules={[{ required: true, message: t('validation.required', { field: t('users.confirmPassword') }) }, confirmRule(t, 'password')]}
        >
          <Input.Password maxLength={200} autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 账号: accounts and roles. Administrators change them; auditors only read. */
export function UsersPage() {
  const { t } = useTranslation();
  const { can, user: me } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const canManage = can('user.manage');
  const editing = useDrawerState<User>();
  const [resetting, setResetting] = useState<User | null>(null);
  const query = useQuery({ queryKey: USERS_KEY, queryFn: () => api<{ users: User[] }>('/users') });

  const setDisabled = useMutation({
    mutationFn: ({ user, disabled }: { user: User; disabled: boolean }) => api<User>(`/users/${user.id}`, { method: 'PATCH', body: { disabled } }),
    onSuccess: async (saved) => {
      message.success(saved.disabled ? t('users.disabled') : t('users.enabled'));
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
    },
    onError: (error) => message.error(errorText(error)),
  });
  const revoke = useMutation({
    mutationFn: (user: User) => api<{ revoked: number }>(`/users/${user.id}/revoke-sessions`, { method: 'POST' }),
    onSuccess: (result) => message.success(t('users.revoked', { count: result.revoked })),
    onError: (error) => message.error(errorText(error)),
  });

  const columns: TableProps<User>['columns'] = [
    {
      title: t('users.displayName'),
      dataIndex: 'displayName',
      width: 220,
      render: (name: string, u) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>
            {name}
            {u.id === me?.id ? t('users.you') : ''}
          </Typography.Text>
          <Typography.Text type="secondary" className="fd-mono">
            {u.login}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('users.email'), dataIndex: 'email', ellipsis: true, render: (v: string | null) => v ?? '—' },
    {
      title: t('users.role'),
      dataIndex: 'role',
      width: 130,
      filters: ROLES.map((r) => ({ text: t(`roles.${r}`), value: r })),
      onFilter: (value, u) => u.role === value,
      render: (role: Role) => (
        <Tag color={ROLE_COLORS[role]} data-testid={`role-${role}`}>
          {t(`roles.${role}`)}
        </Tag>
      ),
    },
    {
      title: t('common.status'),
      key: 'status',
      width: 110,
      render: (_, u) =>
        u.disabled ? (
          <Tag icon={<StopOutlined />}>{t('users.statusDisabled')}</Tag>
        ) : u.locked ? (
          <Tag icon={<LockOutlined />} color="warning">
            {t('users.statusLocked')}
          </Tag>
        ) : (
          <Tag icon={<CheckCircleOutlined />} color="success">
            {t('users.statusActive')}
          </Tag>
        ),
    },
    {
      title: t('users.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      width: 180,
      render: (v: string | null) => (v ? formatDateTime(v) : <Typography.Text type="secondary">{t('users.never')}</Typography.Text>),
    },
    { title: t('common.createdAt'), dataIndex: 'createdAt', width: 180, render: (v: string) => formatDateTime(v) },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 320,
            fixed: 'right' as const,
            render: (_: unknown, u: User) => (
              <Space size={0} wrap>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => editing.show(u)} data-testid="user-edit">
                  {t('common.edit')}
                </Button>
                <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)}>
                  {t('users.resetPassword')}
                </Button>
                <Popconfirm
                  title={u.disabled ? t('users.enableConfirm', { name: u.displayName }) : t('users.disableConfirm', { name: u.displayName })}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: !u.disabled }}
                  onConfirm={() => setDisabled.mutateAsync({ user: u, disabled: !u.disabled }).catch(() => undefined)}
                >
                  <Button type="link" size="small" danger={!u.disabled} icon={u.disabled ? <CheckCircleOutlined /> : <StopOutlined />}>
                    {u.disabled ? t('users.enable') : t('users.disable')}
                  </Button>
                </Popconfirm>
                <Popconfirm
                  title={t('users.revokeConfirm', { name: u.displayName })}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => revoke.mutateAsync(u).catch(() => undefined)}
                >
                  <Tooltip title={t('users.revokeSessions')}>
                    <Button type="link" size="small" danger icon={<LogoutOutlined />} aria-label={t('users.revokeSessions')} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <PageContainer
      testId="users-page"
      title={t('users.title')}
      description={t('users.description')}
      extra={
        canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => editing.show(null)} data-testid="user-new">
            {t('users.new')}
          </Button>
        )
      }
    >
      {!canManage && <Alert type="info" showIcon title={t('users.readOnly')} style={{ marginBottom: 16 }} data-testid="users-read-only" />}
      {query.isError && <Alert type="error" showIcon title={errorText(query.error)} style={{ marginBottom: 16 }} />}
      <Table<User>
        rowKey="id"
        columns={columns}
        dataSource={query.data?.users ?? []}
        loading={query.isFetching}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
        scroll={{ x: 1100 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} /> }}
        data-testid="users-table"
      />
      <UserDrawer open={editing.open} user={editing.item} onClose={editing.close} key={editing.key} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </PageContainer>
  );
}
