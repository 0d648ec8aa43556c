import { CrownFilled, EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Form, Input, Segmented, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api/client';
import type { ArchivedFilter, Group } from '../../api/types';
import { useSession } from '../../app/session';
import { ArchiveButton } from '../../components/ArchiveButton';
import { PageContainer } from '../../components/PageContainer';
import { useDrawerState } from '../../components/useDrawerState';
import { formatDateTime } from '../../lib/format';
import { listGroups, orgKeys, personLabel, useActivePeople } from './api';
import { FormDrawer } from '../../components/FormDrawer';

interface Values {
  name: string;
  leaderId?: string | null;
  memberIds?: string[];
  duties?: string;
}

function GroupDrawer({ group, open, onClose }: { group: Group | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const people = useActivePeople();
  const leaderId = Form.useWatch('leaderId', form);
  const options = (people.data ?? []).map((p) => ({ value: p.id, label: personLabel(p), name: p.name }));
  // Someone archived since stays visible in the form rather than as a bare id.
  for (const m of [...(group?.leader ? [group.leader] : []), ...(group?.members ?? [])]) {
    if (!options.some((o) => o.value === m.personId)) options.push({ value: m.personId, label: m.name, name: m.name });
  }

  const mutation = useMutation({
    mutationFn: (values: Values) => {
      const body = {
        name: values.name.trim(),
        duties: values.duties?.trim() ?? '',
        leaderId: values.leaderId ?? null,
        memberIds: (values.memberIds ?? []).filter((id) => id !== values.leaderId),
      };
      return group ? api<Group>(`/groups/${group.id}`, { method: 'PATCH', body }) : api<Group>('/groups', { method: 'POST', body });
    },
    onSuccess: async (saved) => {
      message.success(group ? t('common.saved') : t('common.createdNamed', { name: saved.name }));
      await queryClient.invalidateQueries({ queryKey: orgKeys.all });
      onClose();
    },
  });

  return (
    <FormDrawer
      title={group ? t('groups.editTitle') : t('groups.createTitle')}
      open={open}
      onClose={onClose}
      size={560}
      onSave={() => form.submit()}
      saving={mutation.isPending}
      saveTestId="group-save"
      error={mutation.isError ? mutation.error : null}
    >
      <Alert type="info" showIcon title={t('groups.peopleHint')} style={{ marginBottom: 16 }} />
      <Form<Values>
        form={form}
        name="group"
        layout="vertical"
        initialValues={
          group
            ? { name: group.name, duties: group.duties, leaderId: group.leader?.personId ?? null, memberIds: group.members.map((m) => m.personId) }
            : { memberIds: [] }
        }
        onFinish={(values) => mutation.mutate(values)}
      >
        <Form.Item name="name" label={t('groups.name')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('groups.name') }) }]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item name="leaderId" label={t('groups.leader')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('groups.leaderPlaceholder')}
            options={options}
            loading={people.isPending}
            onChange={(value?: string) => {
              const members = form.getFieldValue('memberIds') as string[] | undefined;
              if (value && members?.includes(value)) form.setFieldValue('memberIds', members.filter((id) => id !== value));
            }}
          />
        </Form.Item>
        <Form.Item name="memberIds" label={t('groups.members')}>
          <Select
            mode="multiple"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('groups.membersPlaceholder')}
            options={options.filter((o) => o.value !== leaderId)}
            loading={people.isPending}
          />
        </Form.Item>
        <Form.Item name="duties" label={t('groups.duties')}>
          <Input.TextArea autoSize={{ minRows: 6, maxRows: 16 }} maxLength={5000} showCount placeholder={t('groups.dutiesPlaceholder')} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

function GroupCard({ group, canWrite, onEdit }: { group: Group; canWrite: boolean; onEdit: () => void }) {
  const { t } = useTranslation();
  return (
    <Card
      data-testid="group-card"
      variant="borderless"
      title={
        <Space>
          <TeamOutlined style={{ color: '#1677ff' }} />
          <span data-testid="group-name">{group.name}</span>
          {group.archived && <Tag>{t('common.archived')}</Tag>}
          <Tag bordered={false}>{t('groups.memberCount', { count: group.members.length + (group.leader ? 1 : 0) })}</Tag>
        </Space>
      }
      extra={
        canWrite && (
          <Space size={0}>
            <Button type="link" size="small" icon={<EditOutlined />} onClick={onEdit} data-testid="group-edit">
              {t('common.edit')}
            </Button>
            <ArchiveButton path={`/groups/${group.id}`} name={group.name} archived={group.archived} invalidate={orgKeys.all} testId="group-archive" />
          </Space>
        )
      }
    >
      <Descriptions
        column={1}
        size="middle"
        styles={{ label: { width: 96, color: 'rgba(0,0,0,0.55)' } }}
        items={[
          {
            key: 'leader',
            label: t('groups.leader'),
            children: group.leader ? (
              <Tag icon={<CrownFilled />} color="gold" data-testid="group-leader">
                {group.leader.name}
                {group.leader.title ? t('common.parenthetical', { text: group.leader.title }) : ''}
              </Tag>
            ) : (
              <Typography.Text type="secondary">{t('groups.noLeader')}</Typography.Text>
            ),
          },
          {
            key: 'members',
            label: t('groups.members'),
            children:
              group.members.length > 0 ? (
                <Space size={[4, 8]} wrap data-testid="group-members">
                  {group.members.map((m) => (
                    <Tag key={m.personId} color="blue">
                      {m.name}
                      {m.title ? t('common.parenthetical', { text: m.title }) : ''}
                    </Tag>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('groups.noMembers')}</Typography.Text>
              ),
          },
          {
            key: 'duties',
            label: t('groups.duties'),
            children: group.duties ? (
              <Typography.Paragraph className="fd-multiline" style={{ margin: 0 }} data-testid="group-duties">
                {group.duties}
              </Typography.Paragraph>
            ) : (
              <Typography.Text type="secondary">{t('groups.noDuties')}</Typography.Text>
            ),
          },
          {
            key: 'updated',
            label: t('common.updatedAt'),
            children: <Typography.Text type="secondary">{formatDateTime(group.updatedAt)}</Typography.Text>,
          },
        ]}
      />
    </Card>
  );
}

/** 工作组: the working groups with leader (组长), members (成员) and duties (职责). */
export function GroupsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const canWrite = can('org.write');
  const [archived, setArchived] = useState<ArchivedFilter>('false');
  const editing = useDrawerState<Group>();
  const query = useQuery({ queryKey: orgKeys.groups(archived), queryFn: () => listGroups(archived) });
  const groups = query.data?.groups ?? [];

  return (
    <PageContainer
      testId="groups-page"
      card={false}
      title={t('groups.title')}
      description={t('groups.description')}
      extra={
        <>
          <Segmented<ArchivedFilter>
            value={archived}
            onChange={setArchived}
            options={[
              { label: t('common.active'), value: 'false' },
              { label: t('common.archived'), value: 'true' },
              { label: t('common.all'), value: 'all' },
            ]}
          />
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => editing.show(null)} data-testid="group-new">
              {t('groups.new')}
            </Button>
          )}
        </>
      }
    >
      {query.isError && <Alert type="error" showIcon title={errorText(query.error)} style={{ marginBottom: 16 }} />}
      {query.isPending ? (
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 5 }} />
        </Card>
      ) : groups.length === 0 ? (
        <Card variant="borderless">
          <Empty description={archived === 'false' ? t('groups.emptyText') : t('common.empty')} data-testid="groups-empty">
            {canWrite && archived === 'false' && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => editing.show(null)}>
                {t('groups.new')}
              </Button>
            )}
          </Empty>
        </Card>
      ) : (
        <Flex vertical gap={16}>
          {groups.map((group) => (
            <GroupCard key={group.id} group={group} canWrite={canWrite} onEdit={() => editing.show(group)} />
          ))}
        </Flex>
      )}
      <GroupDrawer open={editing.open} group={editing.item} onClose={editing.close} key={editing.key} />
    </PageContainer>
  );
}
