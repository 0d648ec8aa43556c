import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Flex, Input, Modal, Row, Segmented, Skeleton, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, errorText } from '../../api/client';
import type { Scenario, ScenarioSummary } from '../../api/types';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { currentLocale } from '../../i18n';
import { loc, taxonomyLabels, useTaxonomy } from '../timeline/api';
import { scenarioKeys, useScenarios } from './api';

/** Sends YAML as it is (content-type application/yaml), the form teams share scenarios in. */
export async function importScenarioYaml(text: string): Promise<Scenario> {
  const response = await fetch('/api/scenarios/import', {
    method: 'POST',
    headers: { 'Content-Type': 'application/yaml', Accept: 'application/json', 'Accept-Language': currentLocale() },
    body: text,
    credentials: 'same-origin',
  });
  const data = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
  if (!response.ok) throw new ApiError(response.status, data?.error?.code ?? `http_${response.status}`, data?.error?.message ?? response.statusText, data?.error?.details);
  return data as unknown as Scenario;
}

/** The YAML file of a scenario, downloaded through the browser. */
export function exportHref(id: string): string {
  return `/api/scenarios/${id}/export`;
}

function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      title={t('scenarios.importTitle')}
      open={open}
      onCancel={onClose}
      width={760}
      destroyOnHidden
      okText={t('scenarios.import')}
      confirmLoading={busy}
      okButtonProps={{ disabled: !text.trim(), 'data-testid': 'scenario-import-ok' } as never}
      onOk={async () => {
        setBusy(true);
        setError(null);
        try {
          const scenario = await importScenarioYaml(text);
          await queryClient.invalidateQueries({ queryKey: scenarioKeys.all });
          message.success(t('scenarios.imported', { title: loc(scenario.definition.title) }));
          onClose();
          navigate(`/scenarios/${scenario.id}`);
        } catch (e) {
          setError(e);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Typography.Paragraph type="secondary">{t('scenarios.importHelp')}</Typography.Paragraph>
      <Upload
        accept=".yaml,.yml,application/yaml,text/yaml"
        showUploadList={false}
        beforeUpload={async (file) => {
          setText(await file.text());
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} data-testid="scenario-import-file">
          {t('scenarios.chooseFile')}
        </Button>
      </Upload>
      <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} autoSize={{ minRows: 10, maxRows: 20 }} className="fd-mono" style={{ marginTop: 12 }} placeholder="key: my-scenario&#10;version: 1&#10;title:&#10;  zh-CN: …&#10;  en: …" data-testid="scenario-import-text" />
      {error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={errorText(error)}
          description={error instanceof ApiError && error.details ? <pre className="fd-pre">{JSON.stringify(error.details, null, 2)}</pre> : undefined}
          data-testid="form-error"
        />
      ) : null}
    </Modal>
  );
}

/** 场景库: the scenario library — bilingual cards with class, level, ATT&CK techniques and inject count. */
export function ScenariosPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const scenarios = useScenarios();
  const labels = taxonomyLabels(useTaxonomy().data);
  const [source, setSource] = useState<'all' | 'builtin' | 'custom'>('all');
  const [importing, setImporting] = useState(false);
  const other = currentLocale() === 'zh-CN' ? 'en' : 'zh-CN';
  const shown = (scenarios.data ?? []).filter((s) => source === 'all' || s.source === source);

  return (
    <PageContainer
      testId="scenarios-page"
      title={t('scenarios.title')}
      description={t('scenarios.description')}
      card={false}
      extra={
        can('scenario.write') && (
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="scenario-import">
            {t('scenarios.import')}
          </Button>
        )
      }
    >
      <Segmented
        value={source}
        onChange={(v) => setSource(v as typeof source)}
        style={{ marginBottom: 16 }}
        options={[
          { value: 'all', label: t('common.all') },
          { value: 'builtin', label: t('scenarios.builtin') },
          { value: 'custom', label: t('scenarios.custom') },
        ]}
      />
      {scenarios.isError && <Alert type="error" showIcon title={errorText(scenarios.error)} />}
      {scenarios.isPending ? (
        <Skeleton active />
      ) : shown.length === 0 ? (
        <Empty description={t('common.empty')} />
      ) : (
        <Row gutter={[16, 16]}>
          {shown.map((s: ScenarioSummary) => (
            <Col key={s.id} xs={24} md={12} xl={8}>
              <Card
                variant="borderless"
                style={{ height: '100%' }}
                data-testid="scenario-card"
                title={
                  <Link to={`/scenarios/${s.id}`} style={{ whiteSpace: 'normal' }}>
                    {loc(s.title)}
                  </Link>
                }
                actions={[
                  <Link key="open" to={`/scenarios/${s.id}`}>
                    {t('common.details')}
                  </Link>,
                  <a key="export" href={exportHref(s.id)} download>
                    <DownloadOutlined /> YAML
                  </a>,
                ]}
              >
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginBottom: 8 }}>
                  {s.title[other]}
                </Typography.Text>
                <Typography.Paragraph ellipsis={{ rows: 3, tooltip: loc(s.summary) }}>{loc(s.summary)}</Typography.Paragraph>
                <Flex gap={4} wrap style={{ marginBottom: 8 }}>
                  <Tag color="blue">{labels.category(s.category)}</Tag>
                  <Tag color="orange">{labels.level(s.level)}</Tag>
                  <Tag>{t('scenario.injectCount', { count: s.injectCount })}</Tag>
                  <Tag>{t('scenario.duration', { count: s.durationMinutes })}</Tag>
                  {s.source === 'custom' && <Tag color="purple">{t('scenarios.custom')}</Tag>}
                </Flex>
                <Space size={4} wrap>
                  {s.attack.map((a) => (
                    <Tag key={a.id} color="geekblue" title={a.name} style={{ fontSize: 11 }}>
                      {a.id}
                    </Tag>
                  ))}
                </Space>
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <ImportModal open={importing} onClose={() => setImporting(false)} />
    </PageContainer>
  );
}
