import { CheckCircleFilled, CloseCircleFilled, ReloadOutlined, SafetyOutlined, SearchOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { Alert, Button, Col, Empty, Flex, Form, Input, Row, Select, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api/client';
import type { AuditEntry, AuditVerifyResult } from '../../api/types';
import { PageContainer } from '../../components/PageContainer';
import { formatDateTime } from '../../lib/format';

const PAGE = 50;
const ENTITY_TYPES = ['user', 'session', 'setup', 'person', 'group', 'contact'] as const;

interface Filters {
  entityType?: string;
  action?: string;
  entityId?: string;
}

/** JSON as plain text in a <pre>: React escapes it, nothing is ever rendered as HTML. */
function JsonBlock({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return <pre className="fd-pre">{JSON.stringify(value, null, 2)}</pre>;
}

function VerifyResult({ result }: { result: AuditVerifyResult }) {
  const { t } = useTranslation();
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        icon={<CheckCircleFilled />}
        data-testid="verify-ok"
        title={t('audit.verifyOk')}
        description={
          <>
            <div>{t('audit.verifyOkText', { entries: result.entries, headSeq: result.headSeq })}</div>
            <Typography.Text className="fd-mono" copyable>
              {result.headHash}
            </Typography.Text>
          </>
        }
        style={{ marginBottom: 16 }}
      />
    );
  }
  const problem = result.problem;
  return (
    <Alert
      type="error"
      showIcon
      icon={<CloseCircleFilled />}
      data-testid="verify-failed"
      title={t('audit.verifyFailed')}
      description={
        problem && (
          <>
            <div>{t('audit.verifyProblem', { kind: t(`audit.problems.${problem.kind}`), seq: problem.seq })}</div>
            <div>{problem.message}</div>
          </>
        )
      }
      style={{ marginBottom: 16 }}
    />
  );
}

/** 审计日志: the hash-chained log, newest first, with filters, "load more" and chain verification. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});

  const query = useInfiniteQuery({
    queryKey: ['audit', filters],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => api<{ entries: AuditEntry[] }>('/audit', { query: { ...filters, beforeSeq: pageParam, limit: PAGE } }),
    getNextPageParam: (last) => (last.entries.length < PAGE ? undefined : last.entries[last.entries.length - 1].seq),
  });
  const entries = query.data?.pages.flatMap((p) => p.entries) ?? [];

  const verify = useMutation({ mutationFn: () => api<AuditVerifyResult>('/audit/verify') });

  const actionLabel = (action: string) => (i18n.exists(`audit.actions.${action}`) ? t(`audit.actions.${action}`) : action);
  const entityLabel = (type: string) => (i18n.exists(`audit.entityTypes.${type}`) ? t(`audit.entityTypes.${type}`) : type);

  const columns: TableProps<AuditEntry>['columns'] = [
    { title: t('audit.seq'), dataIndex: 'seq', width: 80, render: (seq: number) => <Typography.Text className="fd-mono">#{seq}</Typography.Text> },
    { title: t('audit.at'), dataIndex: 'at', width: 180, render: (at: string) => formatDateTime(at) },
    { title: t('audit.actor'), dataIndex: 'actorLabel', width: 180, ellipsis: true },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 220,
      render: (action: string) => (
        <Tooltip title={action}>
          <Tag color={action.endsWith('failed') || action.endsWith('locked') ? 'red' : action.endsWith('archive') ? 'orange' : 'blue'}>{actionLabel(action)}</Tag>
        </Tooltip>
      ),
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      render: (_, e) => (
        <Flex gap={8} align="center" wrap>
          <span>{entityLabel(e.entityType)}</span>
          {e.entityId && (
            <Typography.Text type="secondary" className="fd-mono" copyable={{ text: e.entityId }}>
              {e.entityId.slice(0, 8)}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
  ];

  const applyFilters = (values: Filters) => {
    setFilters({
      entityType: values.entityType || undefined,
      action: values.action?.trim() || undefined,
      entityId: values.entityId?.trim() || undefined,
    });
  };

  return (
    <PageContainer
      testId="audit-page"
      title={t('audit.title')}
      description={t('audit.description')}
      extra={
        <>
          <Button icon={<ReloadOutlined />} onClick={() => void query.refetch()}>
            {t('common.refresh')}
          </Button>
          <Button type="primary" icon={<SafetyOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        </>
      }
    >
      {verify.data && <VerifyResult result={verify.data} />}
      {verify.isError && <Alert type="error" showIcon title={errorText(verify.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} name="audit-filter" layout="vertical" onFinish={applyFilters}>
        <Row gutter={16} align="bottom">
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="entityType" label={t('audit.entityType')}>
              <Select allowClear options={ENTITY_TYPES.map((type) => ({ value: type, label: entityLabel(type) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="action" label={t('audit.action')}>
              <Input allowClear placeholder={t('audit.actionPlaceholder')} maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="entityId" label={t('audit.entityId')}>
              <Input allowClear maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item>
              <Flex gap={8}>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                  {t('common.search')}
                </Button>
                <Button
                  onClick={() => {
                    form.resetFields();
                    setFilters({});
                  }}
                >
                  {t('common.reset')}
                </Button>
              </Flex>
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {query.isError && <Alert type="error" showIcon title={errorText(query.error)} style={{ marginBottom: 16 }} />}
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={entries}
        loading={query.isFetching && !query.isFetchingNextPage}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} /> }}
        expandable={{
          expandedRowRender: (entry) => (
            <Flex vertical gap={12}>
              <Row gutter={16}>
                <Col xs={24} lg={12}>
                  <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
                    {t('audit.before')}
                  </Typography.Text>
                  <JsonBlock value={entry.before} />
                </Col>
                <Col xs={24} lg={12}>
                  <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
                    {t('audit.after')}
                  </Typography.Text>
                  <JsonBlock value={entry.after} />
                </Col>
              </Row>
              <Typography.Text type="secondary" className="fd-mono">
                {t('audit.hash')}: {entry.hash}
              </Typography.Text>
            </Flex>
          ),
        }}
        data-testid="audit-table"
      />
      {entries.length > 0 && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          {query.hasNextPage ? (
            <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} data-testid="audit-load-more">
              {t('audit.loadMore')}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t('audit.noMore')}</Typography.Text>
          )}
        </Flex>
      )}
    </PageContainer>
  );
}
