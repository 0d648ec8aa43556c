import { EditOutlined, MailOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Flex, Form, Input, Segmented, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api/client';
import type { ArchivedFilter, Person } from '../../api/types';
import { useSession } from '../../app/session';
import { ArchiveButton } from '../../components/ArchiveButton';
import { PageContainer } from '../../components/PageContainer';
import { useDrawerState } from '../../components/useDrawerState';
import { nullIfBlank } from '../../lib/format';
import { listPeople, orgKeys } from './api';
import { FormDrawer } from '../../components/FormDrawer';

const PAGE_SIZE = 20;

type Values = Record<'name' | 'title' | 'department' | 'phone' | 'email' | 'wecomId' | 'dingtalkId' | 'notes', string | undefined>;

function PersonDrawer({ person, open, onClose }: { person: Person | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const mutation = useMutation({
    mutationFn: (values: Values) => {
      const body = {
        name: values.name!.trim(),
        title: nullIfBlank(values.title),
        department: nullIfBlank(values.department),
        phone: nullIfBlank(values.phone),
        email: nullIfBlank(values.email),
        wecomId: nullIfBlank(values.wecomId),
        dingtalkId: nullIfBlank(values.dingtalkId),
        notes: nullIfBlank(values.notes),
      };
      return person ? api<Person>(`/people/${person.id}`, { method: 'PATCH', body }) : api<Person>('/people', { method: 'POST', body });
    },
    onSuccess: async (saved) => {
      message.success(person ? t('common.saved') : t('common.createdNamed', { name: saved.name }));
      await queryClient.invalidateQueries({ queryKey: orgKeys.all });
      onClose();
    },
  });

  return (
    <FormDrawer
      title={person ? t('people.editTitle') : t('people.createTitle')}
      open={open}
      onClose={onClose}
      size={480}
      onSave={() => form.submit()}
      saving={mutation.isPending}
      saveTestId="person-save"
      error={mutation.isError ? mutation.error : null}
      onHidden={() => mutation.reset()}
    >
      <Form<Values>
        form={form}
        name="person"
        layout="vertical"
        initialValues={person ? Object.fromEntries(Object.entries(person).map(([k, v]) => [k, v ?? undefined])) : {}}
        onFinish={(values) => mutation.mutate(values)}
      >
        <Form.Item name="name" label={t('people.name')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('people.name') }) }]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="department" label={t('people.department')} style={{ flex: 1 }}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="title" label={t('people.personTitle')} style={{ flex: 1 }}>
            <Input maxLength={100} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="phone" label={t('people.phone')} style={{ flex: 1 }} rules={[{ pattern: /^[0-9+\-() ]*$/, message: t('validation.phone') }]}>
            <Input maxLength={40} prefix={<PhoneOutlined />} />
          </Form.Item>
          <Form.Item name="email" label={t('people.email')} style={{ flex: 1 }} rules={[{ type: 'email', message: t('validation.email') }]}>
            <Input maxLength={200} prefix={<MailOutlined />} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="wecomId" label={t('people.wecomId')} style={{ flex: 1 }}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="dingtalkId" label={t('people.dingtalkId')} style={{ flex: 1 }}>
            <Input maxLength={100} />
          </Form.Item>
        </Flex>
        <Form.Item name="notes" label={t('people.notes')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

/** 人员: search, filter, page through and edit the people of the emergency organisation. */
export function PeoplePage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const canWrite = can('org.write');
  const [q, setQ] = useState('');
  const [archived, setArchived] = useState<ArchivedFilter>('false');
  const [page, setPage] = useState(1);
  const editing = useDrawerState<Person>();

  const params = { q: q || undefined, archived, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const query = useQuery({ queryKey: orgKeys.people(params), queryFn: () => listPeople(params), placeholderData: keepPreviousData });

  const columns: TableProps<Person>['columns'] = [
    {
      title: t('people.name'),
      dataIndex: 'name',
      width: 200,
      render: (_, person) => (
        <Space size={4} wrap>
          <Typography.Text strong>{person.name}</Typography.Text>
          {person.archived && <Tag>{t('common.archived')}</Tag>}
        </Space>
      ),
    },
    { title: t('people.department'), dataIndex: 'department', width: 140, render: (v: string | null) => v ?? '—' },
    { title: t('people.personTitle'), dataIndex: 'title', width: 140, render: (v: string | null) => v ?? '—' },
    { title: t('people.phone'), dataIndex: 'phone', width: 150, render: (v: string | null) => v ?? '—' },
    { title: t('people.email'), dataIndex: 'email', ellipsis: true, render: (v: string | null) => v ?? '—' },
    {
      title: `${t('people.wecomId')} / ${t('people.dingtalkId')}`,
      key: 'im',
      width: 180,
      render: (_, p) =>
        p.wecomId || p.dingtalkId ? (
          <Space size={4} wrap>
            {p.wecomId && <Tag color="green">{`${t('people.wecomId')} ${p.wecomId}`}</Tag>}
            {p.dingtalkId && <Tag color="blue">{`${t('people.dingtalkId')} ${p.dingtalkId}`}</Tag>}
          </Space>
        ) : (
          '—'
        ),
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 170,
            fixed: 'right' as const,
            render: (_: unknown, person: Person) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => editing.show(person)} data-testid="person-edit">
                  {t('common.edit')}
                </Button>
                <ArchiveButton path={`/people/${person.id}`} name={person.name} archived={person.archived} invalidate={orgKeys.all} testId="person-archive" />
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <PageContainer
      testId="people-page"
      title={t('people.title')}
      description={t('people.description')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => editing.show(null)} data-testid="person-new">
            {t('people.new')}
          </Button>
        )
      }
    >
      <Flex gap={12} wrap justify="space-between" style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('people.searchPlaceholder')}
          style={{ maxWidth: 360 }}
          onSearch={(value) => {
            setQ(value.trim());
            setPage(1);
          }}
          enterButton={t('common.search')}
          data-testid="people-search"
        />
        <Segmented<ArchivedFilter>
          value={archived}
          onChange={(value) => {
            setArchived(value);
            setPage(1);
          }}
          options={[
            { label: t('common.active'), value: 'false' },
            { label: t('common.archived'), value: 'true' },
            { label: t('common.all'), value: 'all' },
          ]}
          data-testid="people-archived-filter"
        />
      </Flex>
      {query.isError && <Alert type="error" showIcon title={errorText(query.error)} style={{ marginBottom: 16 }} />}
      <Table<Person>
        rowKey="id"
        columns={columns}
        dataSource={query.data?.people ?? []}
        loading={query.isFetching}
        scroll={{ x: 1000 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q ? t('common.empty') : t('people.emptyText')} /> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: query.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { total }),
          onChange: setPage,
        }}
        data-testid="people-table"
      />
      <PersonDrawer open={editing.open} person={editing.item} onClose={editing.close} key={editing.key} />
    </PageContainer>
  );
}
