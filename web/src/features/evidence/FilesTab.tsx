import { DownloadOutlined, SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Drawer, Form, Input, Progress, Row, Select, Space, Table, Tag, Timeline, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { useSession } from '../../app/session';
import { formatDateTime } from '../../lib/format';
import { ExerciseMark } from '../timeline/ExerciseMark';
import { ENCODING_CHOICES, evidenceKeys, formatBytes, PARSER_CHOICES, uploadEvidence, useEvidenceDetail, useEvidenceFiles, type Evidence, type IngestReport } from './api';

const TIME_ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Tokyo', 'Asia/Singapore', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'UTC'];

/** A SHA-256 shortened on screen, copied whole. */
function Sha({ value }: { value: string }) {
  return (
    <Typography.Text code copyable={{ text: value }} style={{ fontSize: 12 }} data-testid="evidence-sha" data-sha={value} title={value}>
      {`${value.slice(0, 12)}…`}
    </Typography.Text>
  );
}

/** What the server made of a file: lines read, events stored, the first lines that did not parse. */
export function ReportView({ report }: { report: IngestReport }) {
  const { t } = useTranslation();
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, md: 2 }}
      data-testid="evidence-report"
      items={[
        { key: 'parser', label: t('evidence.fields.parser'), children: report.parser ? t(`evidence.parsers.${report.parser}`, { defaultValue: report.parser }) : '—' },
        { key: 'encoding', label: t('evidence.fields.encoding'), children: report.encoding ?? '—' },
        { key: 'lines', label: t('evidence.report.lines'), children: <span data-testid="evidence-report-lines">{report.lines}</span> },
        { key: 'events', label: t('evidence.report.events'), children: <span data-testid="evidence-report-events">{report.events}</span> },
        {
          key: 'unparsed',
          label: t('evidence.report.unparsed'),
          children: (
            <span data-testid="evidence-report-unparsed">
              {report.unparsed}
              {report.unparsedLines.length > 0 && ` (${t('evidence.report.firstLines', { lines: report.unparsedLines.join(', ') })})`}
            </span>
          ),
        },
        { key: 'bytes', label: t('evidence.fields.size'), children: formatBytes(report.bytes) },
      ]}
    />
  );
}

interface UploadValues {
  parser?: string;
  encoding?: string;
  collectedAt?: Dayjs;
  timeZone: string;
  origin?: string;
}

type UploadState =
  | { phase: 'idle' }
  | { phase: 'sending'; percent: number; filename: string }
  | { phase: 'done'; filename: string; report: IngestReport | null }
  | { phase: 'failed'; filename: string; message: string };

/** The upload form: the file and how to read it, sent with a real progress bar, then the server's report. */
function UploadCard({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UploadValues>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const abort = useRef<(() => void) | null>(null);

  const submit = async (values: UploadValues) => {
    const file = files[0]?.originFileObj;
    if (!file) return;
    setState({ phase: 'sending', percent: 0, filename: file.name });
    const upload = uploadEvidence(
      caseId,
      file,
      {
        parser: values.parser && values.parser !== 'auto' ? values.parser : undefined,
        encoding: values.encoding && values.encoding !== 'auto' ? values.encoding : undefined,
        collectedAt: values.collectedAt ? values.collectedAt.toISOString() : undefined,
        timeZone: values.timeZone || undefined,
        origin: values.origin?.trim() || undefined,
      },
      (sent, total) => setState({ phase: 'sending', percent: total > 0 ? Math.min(100, Math.floor((sent / total) * 100)) : 0, filename: file.name }),
    );
    abort.current = upload.abort;
    try {
      const { report } = await upload.promise;
      setState({ phase: 'done', filename: file.name, report });
      setFiles([]);
      await queryClient.invalidateQueries({ queryKey: evidenceKeys.all(caseId) });
    } catch (error) {
      setState({ phase: 'failed', filename: file.name, message: errorText(error) });
    } finally {
      abort.current = null;
    }
  };

  const sending = state.phase === 'sending';
  return (
    <Card variant="borderless" size="small" title={t('evidence.upload.title')} data-testid="evidence-upload">
      <Form<UploadValues> form={form} layout="vertical" name="evidenceUpload" initialValues={{ timeZone: 'Asia/Shanghai', parser: 'auto', encoding: 'auto' }} onFinish={(v) => void submit(v)} disabled={sending}>
        <Form.Item label={t('evidence.upload.file')} required>
          <Upload
            fileList={files}
            maxCount={1}
            beforeUpload={() => false}
            onChange={({ fileList }) => setFiles(fileList.slice(-1))}
            data-testid="evidence-upload-file"
          >
            <Button icon={<UploadOutlined />}>{t('evidence.upload.choose')}</Button>
          </Upload>
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="parser" label={t('evidence.fields.parser')} tooltip={t('evidence.upload.parserHint')}>
              <Select options={PARSER_CHOICES.map((p) => ({ value: p, label: t(`evidence.parsers.${p}`) }))} data-testid="evidence-upload-parser" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="encoding" label={t('evidence.fields.encoding')}>
              <Select options={ENCODING_CHOICES.map((e) => ({ value: e, label: t(`evidence.encodings.${e}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="collectedAt" label={t('evidence.fields.collectedAt')} tooltip={t('evidence.upload.collectedAtHint')}>
              <DatePicker showTime style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="timeZone" label={t('evidence.fields.timeZone')} tooltip={t('evidence.upload.timeZoneHint')} rules={[{ required: true, message: t('evidence.required') }]}>
              <Select showSearch options={TIME_ZONES.map((z) => ({ value: z, label: z }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="origin" label={t('evidence.fields.origin')}>
          <Input maxLength={500} placeholder={t('evidence.upload.originPlaceholder')} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" icon={<UploadOutlined />} disabled={files.length === 0 || sending} loading={sending} data-testid="evidence-upload-submit">
            {t('evidence.upload.submit')}
          </Button>
          {sending && (
            <Button disabled={false} onClick={() => abort.current?.()}>
              {t('common.cancel')}
            </Button>
          )}
        </Space>
      </Form>
      {state.phase !== 'idle' && (
        <div style={{ marginTop: 16 }} data-testid="evidence-upload-result" data-phase={state.phase}>
          <Typography.Text strong>{state.filename}</Typography.Text>
          <Progress
            percent={state.phase === 'sending' ? state.percent : 100}
            status={state.phase === 'failed' ? 'exception' : state.phase === 'done' ? 'success' : 'active'}
            data-testid="evidence-upload-progress"
          />
          {state.phase === 'sending' && state.percent >= 100 && <Typography.Text type="secondary">{t('evidence.upload.parsing')}</Typography.Text>}
          {state.phase === 'done' &&
            (state.report ? (
              <Alert type={state.report.unparsed > 0 ? 'warning' : 'success'} showIcon title={t('evidence.upload.done')} description={<ReportView report={state.report} />} />
            ) : (
              <Alert type="success" showIcon title={t('evidence.upload.storedOnly')} />
            ))}
          {state.phase === 'failed' && <Alert type="error" showIcon title={t('evidence.upload.failed')} description={<span data-testid="evidence-upload-error">{state.message}</span>} />}
        </div>
      )}
    </Card>
  );
}

/** One file's chain of custody: who collected, parsed, viewed, downloaded or exported it, and when. */
function CustodyDrawer({ evidenceId, onClose }: { evidenceId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useEvidenceDetail(evidenceId);
  const d = detail.data;
  return (
    <Drawer open={!!evidenceId} onClose={onClose} size="large" title={t('evidence.custody.title')} destroyOnHidden>
      {detail.isError && <Alert type="error" showIcon title={errorText(detail.error)} />}
      {d && (
        <div data-testid="evidence-custody">
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'name', label: t('evidence.fields.filename'), children: <span data-testid="evidence-custody-filename">{d.filename}</span> },
              { key: 'sha', label: t('evidence.fields.sha256'), children: <Typography.Text copyable style={{ wordBreak: 'break-all', fontFamily: 'monospace', fontSize: 12 }}>{d.sha256}</Typography.Text> },
              ...(d.gzip ? [{ key: 'content', label: t('evidence.fields.contentSha256'), children: <Typography.Text copyable style={{ wordBreak: 'break-all', fontFamily: 'monospace', fontSize: 12 }}>{d.contentSha256}</Typography.Text> }] : []),
              { key: 'size', label: t('evidence.fields.size'), children: formatBytes(d.size) },
              { key: 'collected', label: t('evidence.fields.collected'), children: `${formatDateTime(d.collectedAt)} · ${d.collectedBy}` },
              { key: 'origin', label: t('evidence.fields.origin'), children: d.origin || '—' },
              { key: 'tz', label: t('evidence.fields.timeZone'), children: d.timeZone },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('evidence.custody.chain')}
          </Typography.Title>
          <Timeline
            items={d.custody.map((c, i) => ({
              key: i,
              content: (
                <div data-testid="custody-entry" data-action={c.action}>
                  <Tag>{t(`evidence.custody.actions.${c.action}`)}</Tag>
                  <Typography.Text type="secondary">{formatDateTime(c.at)}</Typography.Text> · {c.actor}
                  {c.detail && <div style={{ color: '#8c8c8c' }}>{c.detail}</div>}
                </div>
              ),
            }))}
          />
        </div>
      )}
    </Drawer>
  );
}

/** 证据文件: the files collected for the case, each with its fingerprint, what parsing made of it and its custody. */
export function FilesTab({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const files = useEvidenceFiles(caseId);
  const [custodyOf, setCustodyOf] = useState<string | null>(null);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Card
          variant="borderless"
          size="small"
          title={t('evidence.files.title')}
          extra={
            can('evidence.export') &&
            (files.data?.length ?? 0) > 0 && (
              <Button icon={<DownloadOutlined />} href={`/api/cases/${caseId}/evidence/export`} title={t('evidence.files.exportHint')} data-testid="evidence-export">
                {t('evidence.files.export')}
              </Button>
            )
          }
        >
          {files.isError && <Alert type="error" showIcon title={errorText(files.error)} style={{ marginBottom: 12 }} />}
          <Table<Evidence>
            rowKey="id"
            size="small"
            loading={files.isPending}
            dataSource={files.data ?? []}
            pagination={false}
            scroll={{ x: 1320 }}
            onRow={(e) => ({ 'data-testid': 'evidence-row', 'data-filename': e.filename }) as React.HTMLAttributes<HTMLElement>}
            locale={{ emptyText: t('evidence.files.empty') }}
            columns={[
              {
                key: 'name',
                title: t('evidence.fields.filename'),
                width: 260,
                render: (_, e) => (
                  <Space size={4} wrap>
                    {e.exercise && <ExerciseMark />}
                    <span data-testid="evidence-filename">{e.filename}</span>
                    {e.gzip && <Tag>gzip</Tag>}
                    {e.generated && <Tag color="purple">{t('evidence.files.generated')}</Tag>}
                    {e.status === 'failed' && <Tag color="red">{t('evidence.files.failed')}</Tag>}
                  </Space>
                ),
              },
              { key: 'size', title: t('evidence.fields.size'), width: 90, render: (_, e) => formatBytes(e.size) },
              { key: 'sha', title: 'SHA-256', width: 170, render: (_, e) => <Sha value={e.sha256} /> },
              { key: 'parser', title: t('evidence.fields.parser'), width: 120, render: (_, e) => (e.parser ? t(`evidence.parsers.${e.parser}`, { defaultValue: e.parser }) : '—') },
              { key: 'events', title: t('evidence.report.events'), width: 90, align: 'right', render: (_, e) => <span data-testid="evidence-events">{e.report?.events ?? '—'}</span> },
              {
                key: 'unparsed',
                title: t('evidence.report.unparsed'),
                width: 110,
                align: 'right',
                render: (_, e) =>
                  e.report ? (
                    <span title={e.report.unparsedLines.length ? t('evidence.report.firstLines', { lines: e.report.unparsedLines.join(', ') }) : undefined} style={e.report.unparsed ? { color: '#d46b08' } : undefined}>
                      {e.report.unparsed}
                    </span>
                  ) : (
                    '—'
                  ),
              },
              {
                key: 'collected',
                title: t('evidence.fields.collected'),
                width: 200,
                render: (_, e) => (
                  <span>
                    {formatDateTime(e.collectedAt)}
                    <br />
                    <Typography.Text type="secondary">{e.collectedBy}</Typography.Text>
                  </span>
                ),
              },
              { key: 'tz', title: t('evidence.fields.timeZone'), width: 130, dataIndex: 'timeZone' },
              {
                key: 'actions',
                title: '',
                width: 190,
                fixed: 'right',
                render: (_, e) => (
                  <Space size={0}>
                    <Button type="link" size="small" icon={<SafetyCertificateOutlined />} onClick={() => setCustodyOf(e.id)} data-testid="evidence-custody-open">
                      {t('evidence.custody.open')}
                    </Button>
                    <Button type="link" size="small" icon={<DownloadOutlined />} href={`/api/evidence/${e.id}/download`} data-testid="evidence-download">
                      {t('evidence.files.download')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        {can('evidence.add') ? <UploadCard caseId={caseId} /> : <Alert type="info" showIcon title={t('evidence.readOnly')} data-testid="evidence-readonly" />}
      </Col>
      <CustodyDrawer evidenceId={custodyOf} onClose={() => setCustodyOf(null)} />
    </Row>
  );
}
