import { DingdingOutlined, EditOutlined, MailOutlined, PhoneOutlined, PlusOutlined, WechatWorkOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Empty, Flex, Form, Input, InputNumber, Segmented, Select, Space, Table, Tag, Typography, type TableProps } from 'antd';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api/client';
import { CHANNELS, type ArchivedFilter, type Channel, type Contact } from '../../api/types';
import { useSession } from '../../app/session';
import { ArchiveButton } from '../../components/ArchiveButton';
import { PageContainer } from '../../components/PageContainer';
import { useDrawerState } from '../../components/useDrawerState';
import { nullIfBlank } from '../../lib/format';
import { listContacts, orgKeys, personLabel, useActivePeople } from './api';
import { FormDrawer } from '../../components/FormDrawer';

const CHANNEL_ICONS: Record<Channel, ReactNode> = {
  phone: <PhoneOutlined />,
  email: <MailOutlined />,
  wecom: <WechatWorkOutlined />,
  dingtalk: <DingdingOutlined />,
};

interface Values {
  personId: string;
  label: string;
  channel: Channel;
  priority?: number;
  availability?: string;
  notes?: string;
}

function ContactDrawer({ contact, open, onClose }: { contact: Contact | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const people = useActivePeople();
  const options = (people.data ?? []).map((p) => ({ value: p.id, label: personLabel(p) }));
  if (contact && !options.some((o) => o.value === contact.personId)) options.push({ value: contact.personId, label: contact.personName });

  const mutation = useMutation({
    mutationFn: (values: Values) => {
      const body = {
        personId: values.personId,
        label: values.label.trim(),
        channel: values.channel,
        priority: values.priority ?? 1,
        availability: nullIfBlank(values.availability),
        notes: nullIfBlank(values.notes),
      };
      return contact ? api<Contact>(`/on-call/${contact.id}`, { method: 'PATCH', body }) : api<Contact>('/on-call', { method: 'POST', body });
    },
    onSuccess: async () => {
      message.success(contact ? t('common.saved') : t('common.created'));
      await queryClient.invalidateQueries({ queryKey: orgKeys.all });
      onClose();
    },
  });

  return (
    <FormDrawer
      title={contact ? t('onCall.editTitle') : t('onCall.createTitle')}
      open={open}
      onClose={onClose}
      size={480}
      onSave={() => form.submit()}
      saving={mutation.isPending}
      saveTestId="contact-save"
      error={mutation.isError ? mutation.error : null}
    >
      <Form<Values>
        form={form}
        name="contact"
        layout="vertical"
        initialValues={
          contact
            ? { ...contact, availability: contact.availability ?? undefined, notes: contact.notes ?? undefined }
            : { channel: 'phone', priority: 1 }
        }
        onFinish={(values) => mutation.mutate(values)}
      >
        <Form.Item name="personId" label={t('onCall.person')} rules={[{ required: true, message: t('validation.select', { field: t('onCall.person') }) }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={options} loading={people.isPending} />
        </Form.Item>
        <Form.Item name="label" label={t('onCall.label')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('onCall.label') }) }]}>
          <Input maxLength={100} placeholder={t('onCall.labelPlaceholder')} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="channel" label={t('onCall.channel')} style={{ flex: 1 }} rules={[{ required: true }]}>
            <Select
              options={CHANNELS.map((c) => ({
                value: c,
                label: (
                  <Space size={6}>
                    {CHANNEL_ICONS[c]}
                    {t(`onCall.channels.${c}`)}
                  </Space>
                ),
              }))}
            />
          </Form.Item>
          <Form.Item name="priority" label={t('onCall.priority')} style={{ width: 140 }}>
            <InputNumber min={1} max={99} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Form.Item name="availability" label={t('onCall.availability')}>
          <Input maxLength={200} placeholder={t('onCall.availabilityPlaceholder')} />
        </Form.Item>
        <Form.Item name="notes" label={t('common.notes')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

/** 值班联系人: whom to call first, by which channel, when. */
export function OnCallPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const canWrite = can('org.write');
  const [archived, setArchived] = useState<ArchivedFilter>('false');
  const editing = useDrawerState<Contact>();
  const query = useQuery({ queryKey: orgKeys.contacts(archived), queryFn: () => listContacts(archived) });

  const columns: TableProps<Contact>['columns'] = [
    {
      title: t('onCall.priority'),
      dataIndex: 'priority',
      width: 90,
      align: 'center',
      render: (priority: number) => <Badge count={priority} showZero color={priority === 1 ? '#f5222d' : priority === 2 ? '#fa8c16' : '#8c8c8c'} />,
    },
    {
      title: t('onCall.label'),
      dataIndex: 'label',
      render: (label: string, c) => (
        <Space size={4} wrap>
          <Typography.Text strong>{label}</Typography.Text>
          {c.archived && <Tag>{t('common.archived')}</Tag>}
        </Space>
      ),
    },
    { title: t('onCall.person'), dataIndex: 'personName', width: 140 },
    {
      title: t('onCall.channel'),
      dataIndex: 'channel',
      width: 140,
      render: (channel: Channel) => (
        <Tag icon={CHANNEL_ICONS[channel]} color={channel === 'phone' ? 'red' : channel === 'email' ? 'blue' : channel === 'wecom' ? 'green' : 'geekblue'}>
          {t(`onCall.channels.${channel}`)}
        </Tag>
      ),
    },
    {
      title: t('onCall.address'),
      dataIndex: 'address',
      render: (address: string | null) => (address ? <Typography.Text copyable>{address}</Typography.Text> : <Tag color="warning">{t('onCall.noAddress')}</Tag>),
    },
    { title: t('onCall.availability'), dataIndex: 'availability', render: (v: string | null) => v ?? '—' },
    { title: t('common.notes'), dataIndex: 'notes', ellipsis: true, render: (v: string | null) => v ?? '—' },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 170,
            fixed: 'right' as const,
            render: (_: unknown, contact: Contact) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => editing.show(contact)}>
                  {t('common.edit')}
                </Button>
                <ArchiveButton path={`/on-call/${contact.id}`} name={contact.label} archived={contact.archived} invalidate={orgKeys.all} />
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <PageContainer
      testId="on-call-page"
      title={t('onCall.title')}
      description={t('onCall.description')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => editing.show(null)} data-testid="contact-new">
            {t('onCall.new')}
          </Button>
        )
      }
    >
      <Flex justify="flex-end" style={{ marginBottom: 16 }}>
        <Segmented<ArchivedFilter>
          value={archived}
          onChange={setArchived}
          options={[
            { label: t('common.active'), value: 'false' },
            { label: t('common.archived'), value: 'true' },
            { label: t('common.all'), value: 'all' },
          ]}
        />
      </Flex>
      {query.isError && <Alert type="error" showIcon title={errorText(query.error)} style={{ marginBottom: 16 }} />}
      <Table<Contact>
        rowKey="id"
        columns={columns}
        dataSource={query.data?.contacts ?? []}
        loading={query.isFetching}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('onCall.emptyText')} /> }}
        data-testid="on-call-table"
      />
      <ContactDrawer open={editing.open} contact={editing.item} onClose={editing.close} key={editing.key} />
    </PageContainer>
  );
}
