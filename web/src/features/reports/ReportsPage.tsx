import { ArrowLeftOutlined, DownloadOutlined, ExportOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Flex, Result, Segmented, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, errorText } from '../../api/client';
import { PageContainer } from '../../components/PageContainer';
import { useDrill } from '../drills/api';
import { ExerciseBanner, ExerciseMark } from '../timeline/ExerciseMark';
import { DRILL_STATUS_COLORS } from '../timeline/meta';
import { checkReport, downloadFile, drillReportUrl, REPORT_FORMATS, REPORT_KINDS, REPORT_LANGS, type ReportFormat, type ReportKind, type ReportLang } from './api';

/** The text for a report that could not be fetched: "not available yet" for a kind the server does not offer. */
export function reportErrorText(error: unknown, t: (key: string) => string): string {
  if (error instanceof ApiError && error.status === 404 && error.code === 'route_not_found') return t('reports.notAvailable');
  return errorText(error);
}

const isKind = (v: string | null): v is ReportKind => REPORT_KINDS.includes(v as ReportKind);
const isLang = (v: string | null): v is ReportLang => REPORT_LANGS.includes(v as ReportLang);

/** The download buttons (DOCX, Markdown, HTML) of one report. */
export function DownloadButtons({ url, fallbackName, testIdPrefix = 'report-download' }: { url: (format: ReportFormat) => string; fallbackName: (format: ReportFormat) => string; testIdPrefix?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  const download = async (format: ReportFormat) => {
    setBusy(format);
    try {
      await downloadFile(url(format), fallbackName(format));
    } catch (error) {
      message.error(reportErrorText(error, t));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space wrap>
      {REPORT_FORMATS.map((format) => (
        <Button key={format} icon={<DownloadOutlined />} loading={busy === format} onClick={() => void download(format)} data-testid={`${testIdPrefix}-${format}`}>
          {t(`reports.formats.${format}`)}
        </Button>
      ))}
    </Space>
  );
}

/** 报告: a drill's documents — choose the kind and language, preview the HTML, download DOCX, Markdown or HTML. */
export function ReportsPage() {
  const { drillId = '' } = useParams();
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const drill = useDrill(drillId);
  const kindParam = params.get('kind');
  const langParam = params.get('lang');
  const kind: ReportKind = isKind(kindParam) ? kindParam : 'record';
  const lang: ReportLang = isLang(langParam) ? langParam : drill.data?.language === 'en' ? 'en' : 'zh-CN';
  const previewUrl = drillReportUrl(drillId, kind, 'html', lang);
  const available = useQuery({ queryKey: ['drills', drillId, 'reports', kind, lang], queryFn: () => checkReport(previewUrl), retry: false, staleTime: 30_000, enabled: !!drill.data });

  const choose = (key: 'kind' | 'lang', value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };

  if (drill.isError) return <Result status="warning" title={errorText(drill.error)} />;
  if (!drill.data) return <Skeleton active />;
  const date = (drill.data.startedAt ?? drill.data.scheduledStart ?? '').slice(0, 10) || drillId.slice(0, 8);

  return (
    <div data-testid="reports-page">
      <ExerciseBanner />
      <PageContainer
        card={false}
        title={
          <Space wrap>
            <ExerciseMark size="large" />
            <span>{t('reports.title', { title: drill.data.title })}</span>
            <Tag color={DRILL_STATUS_COLORS[drill.data.status]}>{t(`drillStatus.${drill.data.status}`)}</Tag>
          </Space>
        }
        description={t('reports.description')}
        extra={
          <Space wrap>
            <Link to={`/drills/${drillId}`}>
              <Button icon={<ArrowLeftOutlined />}>{t('evaluation.backToDrill')}</Button>
            </Link>
            <Link to={`/drills/${drillId}/evaluation`}>
              <Button>{t('evaluation.open')}</Button>
            </Link>
          </Space>
        }
      >
        <Card variant="borderless" size="small" style={{ marginBottom: 16 }}>
          <Flex vertical gap={12}>
            <Flex gap={12} wrap align="center">
              <Typography.Text strong style={{ minWidth: 64 }}>
                {t('reports.kind')}
              </Typography.Text>
              <Segmented<ReportKind>
                value={kind}
                onChange={(v) => choose('kind', v)}
                options={REPORT_KINDS.map((k) => ({ value: k, label: <span data-testid={`report-kind-${k}`}>{t(`reports.kinds.${k}`)}</span> }))}
              />
            </Flex>
            <Flex gap={12} wrap align="center">
              <Typography.Text strong style={{ minWidth: 64 }}>
                {t('reports.language')}
              </Typography.Text>
              <Segmented<ReportLang>
                value={lang}
                onChange={(v) => choose('lang', v)}
                options={REPORT_LANGS.map((l) => ({ value: l, label: <span data-testid={`report-lang-${l}`}>{t(`lang.${l}`)}</span> }))}
              />
            </Flex>
            <Flex gap={12} wrap align="center">
              <Typography.Text strong style={{ minWidth: 64 }}>
                {t('reports.download')}
              </Typography.Text>
              <DownloadButtons url={(format) => drillReportUrl(drillId, kind, format, lang)} fallbackName={(format) => `${kind}-${date}.${lang}.${format}`} />
              <a href={previewUrl} target="_blank" rel="noopener noreferrer" data-testid="report-open-tab">
                <ExportOutlined /> {t('reports.openTab')}
              </a>
            </Flex>
          </Flex>
        </Card>
        <Card variant="borderless" size="small" title={t('reports.preview')}>
          {available.isPending ? (
            <Skeleton active paragraph={{ rows: 8 }} />
          ) : available.isError ? (
            <Result status="info" title={reportErrorText(available.error, t)} data-testid="report-unavailable" />
          ) : (
            // No sandbox token at all: no script, no same-origin access, no forms, no pop-ups in the preview.
            <iframe
              key={previewUrl}
              src={previewUrl}
              sandbox=""
              title={t(`reports.kinds.${kind}`)}
              data-testid="report-preview"
              style={{ width: '100%', height: '75vh', minHeight: 480, border: '1px solid #f0f0f0', borderRadius: 6, background: '#fff' }}
            />
          )}
        </Card>
      </PageContainer>
    </div>
  );
}
