import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Empty, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, errorText } from '../../api/client';
import type { Plan, PlanSummary } from '../../api/types';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { formatDateTime } from '../../lib/format';
import { planKeys, usePlans } from './api';

/** 应急预案: the company's plans, with their published version and whether a revision is in draft. */
export function PlansPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const plans = usePlans();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ title: string }>();

  return (
    <PageContainer
      testId="plans-page"
      title={t('plans.title')}
      description={t('plans.description')}
      extra={
        can('plan.write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="plan-new">
            {t('plans.new')}
          </Button>
        )
      }
    >
      <Table<PlanSummary>
        rowKey="id"
        loading={plans.isFetching}
        dataSource={plans.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plans.empty')} /> }}
        columns={[
          { title: t('plans.name'), dataIndex: 'title', render: (v: string, p) => <Link to={`/plans/${p.id}`}><Typography.Text strong>{v}</Typography.Text></Link> },
          {
            title: t('plans.version'),
            width: 220,
            render: (_, p) => (
              <Space size={4}>
                {p.publishedNumber !== null ? <Tag color="green">{t('plans.publishedV', { n: p.publishedNumber })}</Tag> : <Tag>{t('plans.unpublished')}</Tag>}
                {p.hasDraft && <Tag color="orange">{t('plans.draft')}</Tag>}
              </Space>
            ),
          },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 180, render: (v: string) => formatDateTime(v) },
        ]}
        data-testid="plans-table"
      />
      <Modal
        title={t('plans.new')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'plan-create-ok' } as never}
      >
        <Form
          form={form}
          layout="vertical"
          name="plan"
          onFinish={async (values) => {
            setBusy(true);
            try {
              const plan = await api<Plan>('/plans', { method: 'POST', body: { title: values.title.trim() } });
              await queryClient.invalidateQueries({ queryKey: planKeys.all });
              message.success(t('common.createdNamed', { name: plan.title }));
              navigate(`/plans/${plan.id}`);
            } catch (error) {
              message.error(errorText(error));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item name="title" label={t('plans.name')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('plans.name') }) }]}>
            <Input maxLength={200} autoFocus placeholder={t('plans.namePlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
