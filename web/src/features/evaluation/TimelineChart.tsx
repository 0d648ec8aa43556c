import { Card, Empty, Skeleton } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../components/EChart';
import { currentLocale } from '../../i18n';
import { useDrillTimeline } from '../drills/api';
import type { DrillMetrics } from './api';
import { buildTimelineModel, timelineOption, type ChartWords } from './timeline-model';

/** The chart's words in the interface language. */
function useChartWords(): ChartWords {
  const { t, i18n } = useTranslation();
  return useMemo<ChartWords>(
    () => ({
      rows: {
        phases: t('evaluation.chart.rows.phases'),
        injects: t('evaluation.chart.rows.injects'),
        reports: t('evaluation.chart.rows.reports'),
        rule: (recipient, minutes) => t('evaluation.chart.rows.rule', { recipient, minutes }),
      },
      legend: {
        phases: t('evaluation.chart.legend.phases'),
        injects: t('evaluation.chart.legend.injects'),
        reports: t('evaluation.chart.legend.reports'),
        met: t('evaluation.chart.legend.met'),
        late: t('evaluation.chart.legend.late'),
        missed: t('evaluation.chart.legend.missed'),
        pending: t('evaluation.chart.legend.pending'),
        not_applicable: t('evaluation.chart.legend.not_applicable'),
      },
      phase: (key) => t(`evaluation.chart.phases.${key}`),
      state: (state) => t(`evaluation.reportStates.${state}`, { defaultValue: state }),
      at: (minutes) => t('evaluation.chart.at', { minutes }),
      duration: (minutes) => t('evaluation.chart.duration', { minutes }),
      minutesAxis: t('evaluation.chart.minutesAxis'),
      triggered: t('evaluation.chart.triggered'),
      deadline: t('evaluation.chart.deadline'),
      reported: t('evaluation.chart.reported'),
      notReported: t('evaluation.chart.notReported'),
      lateBy: t('evaluation.chart.lateBy'),
      to: t('evaluation.chart.to'),
      description: t('evaluation.chart.description'),
    }),
    // i18n.language: new words when the language changes.
    [t, i18n.language],
  );
}

/** 响应时间线: the drill's phases, injects, reports and escalation rules in drill minutes. */
export function TimelineChart({ drillId, metrics }: { drillId: string; metrics: DrillMetrics }) {
  const { t } = useTranslation();
  const timeline = useDrillTimeline(drillId);
  const words = useChartWords();
  const model = useMemo(() => (timeline.data ? buildTimelineModel(timeline.data, metrics) : null), [timeline.data, metrics]);
  const option = useMemo(() => (model ? timelineOption(model, words) : null), [model, words]);
  const rows = 3 + (model?.rules.length ?? 0);

  return (
    <Card variant="borderless" size="small" title={t('evaluation.chart.title')} data-testid="timeline-chart-card">
      {!option || !model ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : model.phases.length === 0 && model.injects.length === 0 && model.reports.length === 0 ? (
        <Empty description={t('evaluation.chart.empty')} />
      ) : (
        <EChart option={option} height={rows * 40 + 90} locale={currentLocale() === 'en' ? 'EN' : 'ZH'} testId="timeline-chart" />
      )}
    </Card>
  );
}
