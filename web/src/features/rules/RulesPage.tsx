import { DeleteOutlined, EyeOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography, Upload, type TableProps } from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorText } from '../../api/client';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { addRule, deleteRule, ruleKeys, ruleTitle, setRuleEnabled, useRules, type RuleSummary } from './api';
import { DetectionSettingsCard } from './DetectionSettingsCard';

const LEVEL_COLORS: Record<string, string> = { informational: 'default', low: 'blue', medium: 'gold', high: 'orange', critical: 'red' };
const LEVELS = ['critical', 'high', 'medium', 'low', 'informational'];

/** The server's own message for a refused rule (it names the rule, the field path and the line), else our translation. */
function ruleErrorText(error: unknown): string {
  return error instanceof ApiError && error.code.startsWith('rule_') && error.message ? error.message : errorText(error);
}

function UploadModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [source, setSource] = useState('');
  const mutation = useMutation({
    mutationFn: () => addRule(source),
    onSuccess: async (added) => {
      message.success(t('rules.upload.added', { count: added.rules.length }));
      await queryClient.invalidateQueries({ queryKey: ruleKeys.all });
      setSource('');
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('rules.upload.title')}
      onCancel={onClose}
      width={760}
      destroyOnHidden
      afterOpenChange={(visible) => !visible && mutation.reset()}
      footer={
        <Flex justify="space-between" gap={8}>
          <Upload
            accept=".yml,.yaml,.txt"
            showUploadList={false}
            beforeUpload={(file) => {
              void file.text().then((text) => setSource(text));
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} data-testid="rule-file">
              {t('rules.upload.chooseFile')}
            </Button>
          </Upload>
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={mutation.isPending} disabled={!source.trim()} onClick={() => mutation.mutate()} data-testid="rule-upload-submit">
              {t('rules.upload.submit')}
            </Button>
          </Space>
        </Flex>
      }
    >
      <Typography.Paragraph type="secondary">{t('rules.upload.hint')}</Typography.Paragraph>
      {mutation.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={<span data-testid="rule-upload-error">{ruleErrorText(mutation.error)}</span>}
        />
      )}
      <Input.TextArea
        value={source}
        onChange={(e) => setSource(e.target.value)}
        rows={18}
        spellCheck={false}
        placeholder={t('rules.upload.placeholder')}
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 }}
        data-testid="rule-source"
      />
    </Modal>
  );
}

/** 检测规则: the Sigma rules run over evidence — bundled and uploaded — with their switches and the detection settings. */
export function RulesPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const canWrite = can('rule.write');
  const rules = useRules();
  const [text, setText] = useState('');
  const [origin, setOrigin] = useState<'all' | 'bundled' | 'custom'>('all');
  const [viewing, setViewing] = useState<RuleSummary | null>(null);
  const [uploading, setUploading] = useState(false);

  const toggle = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => setRuleEnabled(id, enabled),
    onSuccess: async (rule) => {
      message.success(rule.enabled ? t('rules.enabledDone') : t('rules.disabledDone'));
      await queryClient.invalidateQueries({ queryKey: ruleKeys.all });
    },
    onError: (error) => message.error(errorText(error)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => deleteRule(id),
    onSuccess: async () => {
      message.success(t('rules.deleted'));
      await queryClient.invalidateQueries({ queryKey: ruleKeys.all });
    },
    onError: (error) => message.error(errorText(error)),
  });

  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return (rules.data ?? []).filter(
      (r) =>
        (origin === 'all' || r.origin === origin) &&
        (!needle || [r.title, r.titleZh, r.id, r.name ?? '', ...r.tags].some((s) => s.toLowerCase().includes(needle))),
    );
  }, [rules.data, text, origin]);

  const columns: TableProps<RuleSummary>['columns'] = [
    {
      title: t('rules.fields.title'),
      render: (_, r) => (
        <div style={{ minWidth: 0 }}>
          <Typography.Text strong data-testid="rule-title">
            {ruleTitle(r, i18n.language)}
          </Typography.Text>
          {r.correlation && (
            <Tag color="purple" style={{ marginInlineStart: 8 }}>
              {t('rules.correlation', { type: r.correlation })}
            </Tag>
          )}
          {/* Rules are written in English; under a Chinese title the description waits in the rule's detail. */}
          {r.description && i18n.language === 'en' && (
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 12 }}>
              {r.description}
            </Typography.Paragraph>
          )}
        </div>
      ),
    },
    {
      title: t('rules.fields.level'),
      width: 100,
      render: (_, r) =>
        r.level ? (
          <Tag color={LEVEL_COLORS[r.level]} data-testid="rule-level">
            {t(`rules.levels.${r.level}`, { defaultValue: r.level })}
          </Tag>
        ) : (
          '—'
        ),
      sorter: (a, b) => LEVELS.indexOf(a.level ?? '') - LEVELS.indexOf(b.level ?? ''),
    },
    {
      title: t('rules.fields.origin'),
      width: 100,
      render: (_, r) => (
        <Tag color={r.origin === 'bundled' ? 'blue' : 'green'} data-testid="rule-origin">
          {t(`rules.origins.${r.origin}`)}
        </Tag>
      ),
    },
    {
      title: t('rules.fields.tags'),
      width: 260,
      render: (_, r) => (
        <Space size={[4, 4]} wrap>
          {r.tags.map((tag) => (
            <Tag key={tag} bordered={false} style={{ fontSize: 11 }}>
              {tag}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('rules.fields.enabled'),
      width: 110,
      render: (_, r) => (
        <Space>
          <Switch
            size="small"
            checked={r.enabled}
            disabled={!canWrite}
            loading={toggle.isPending && toggle.variables?.id === r.id}
            onChange={(enabled) => toggle.mutate({ id: r.id, enabled })}
            aria-label={t('rules.fields.enabled')}
            data-testid="rule-enabled"
          />
          <span data-testid="rule-status">{r.enabled ? t('rules.enabled') : t('rules.disabled')}</span>
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      width: 150,
      render: (_, r) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => setViewing(r)} data-testid="rule-view">
            {t('rules.viewYaml')}
          </Button>
          {canWrite && r.origin === 'custom' && (
            <Popconfirm
              title={t('rules.deleteConfirm', { title: ruleTitle(r, i18n.language) })}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => remove.mutate(r.id)}
              okButtonProps={{ 'data-testid': 'rule-delete-ok' } as Record<string, string>}
            >
              <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid="rule-delete">
                {t('rules.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <PageContainer
      testId="rules-page"
      title={t('rules.title')}
      description={t('rules.description')}
      card={false}
      extra={
        canWrite && (
          <Button type="primary" icon={<UploadOutlined />} onClick={() => setUploading(true)} data-testid="rule-upload">
            {t('rules.upload.open')}
          </Button>
        )
      }
    >
      {rules.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={errorText(rules.error)} />}
      <Card variant="borderless">
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('rules.searchPlaceholder')} value={text} onChange={(e) => setText(e.target.value)} style={{ maxWidth: 320 }} data-testid="rules-search" />
          <Select
            value={origin}
            onChange={setOrigin}
            style={{ width: 140 }}
            options={[
              { value: 'all', label: t('rules.origins.all') },
              { value: 'bundled', label: t('rules.origins.bundled') },
              { value: 'custom', label: t('rules.origins.custom') },
            ]}
            data-testid="rules-origin"
          />
          <Typography.Text type="secondary" style={{ alignSelf: 'center' }} data-testid="rules-count">
            {t('rules.count', { shown: shown.length, total: rules.data?.length ?? 0 })}
          </Typography.Text>
        </Flex>
        <Table<RuleSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={shown}
          loading={rules.isFetching && !rules.data}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 1000 }}
          onRow={(r) => ({ 'data-testid': 'rule-row', 'data-id': r.id, 'data-origin': r.origin, 'data-enabled': String(r.enabled) }) as HTMLAttributes<HTMLElement>}
          data-testid="rules-table"
        />
      </Card>
      <DetectionSettingsCard canWrite={canWrite} />
      <Modal open={viewing !== null} title={viewing ? ruleTitle(viewing, i18n.language) : ''} footer={null} onCancel={() => setViewing(null)} width={820} destroyOnHidden>
        {viewing && (
          <>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'id', label: t('rules.id'), children: <Typography.Text copyable={{ text: viewing.id }}>{viewing.id}</Typography.Text> },
                ...(viewing.title !== ruleTitle(viewing, i18n.language) ? [{ key: 'title', label: t('rules.originalTitle'), children: viewing.title }] : []),
                ...(viewing.description ? [{ key: 'description', label: t('rules.fields.description'), children: viewing.description }] : []),
                ...(viewing.status ? [{ key: 'status', label: t('rules.fields.sigmaStatus'), children: viewing.status }] : []),
                ...(viewing.author ? [{ key: 'author', label: t('rules.fields.author'), children: viewing.author }] : []),
              ]}
            />
            <pre data-testid="rule-yaml" style={{ marginTop: 12, maxHeight: '60vh', overflow: 'auto', background: '#f6f8fa', padding: 12, borderRadius: 6, fontSize: 12 }}>
              {viewing.source}
            </pre>
          </>
        )}
      </Modal>
      {canWrite && <UploadModal open={uploading} onClose={() => setUploading(false)} />}
    </PageContainer>
  );
}
