import { CheckSquareOutlined, EditOutlined, FlagOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../api/types';
import { taxonomyLabels, useTaxonomy } from './api';
import { ExerciseMark } from './ExerciseMark';
import { formatClock } from './live';
import { channelIcon, KIND_COLORS } from './meta';

interface Props {
  entries: TimelineEntry[];
  /** Drill timelines show drill time first; incidents wall time only. */
  basis: 'drill' | 'wall';
  /** Offer "correct" on entries the user may correct. */
  onCorrect?: (entry: TimelineEntry) => void;
  /** Newest first (default) or oldest first. */
  newestFirst?: boolean;
  /** Show at most this many (the newest). */
  limit?: number;
  /** Larger type for the projector. */
  size?: 'default' | 'large';
  /** Mark injects 【演练】 (drills). */
  exercise?: boolean;
  emptyText?: string;
  /** Account id → name (drill participants), shown instead of the login. */
  actorNames?: Map<string, string>;
}

/** Report fields in the taxonomy's order (事发时间, 影响范围, 发展趋势, 已采取的措施 …); the database keeps no order. */
function sortFields(fields: [string, string][], order: string[]): [string, string][] {
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...fields].sort((a, b) => rank(a[0]) - rank(b[0]));
}

/** One timeline entry: times, kind, actor, text, report fields, milestone, and its correction link. */
function EntryRow({ entry, byId, basis, onCorrect, size, exercise, actorNames }: { entry: TimelineEntry; byId: Map<string, TimelineEntry> } & Pick<Props, 'basis' | 'onCorrect' | 'size' | 'exercise' | 'actorNames'>) {
  const { t } = useTranslation();
  const taxonomy = useTaxonomy();
  const labels = taxonomyLabels(taxonomy.data);
  const corrected = entry.correctedBy ? byId.get(entry.correctedBy) : undefined;
  const target = entry.correctsId ? byId.get(entry.correctsId) : undefined;
  const large = size === 'large';
  const report = entry.data?.report;
  const inject = entry.data?.inject;
  const milestone = entry.data?.milestone;
  const checklist = entry.data?.checklist;
  return (
    <div className={`fd-entry fd-entry-${entry.kind}${corrected ? ' fd-entry-corrected' : ''}${large ? ' fd-entry-large' : ''}`} data-testid="timeline-entry" data-kind={entry.kind} data-seq={entry.seq} id={`entry-${entry.id}`}>
      <div className="fd-entry-time">
        {basis === 'drill' && entry.drillTimeMs !== null ? (
          <>
            <div className="fd-entry-drilltime">{formatClock(entry.drillTimeMs)}</div>
            <div className="fd-entry-walltime">{dayjs(entry.at).format('HH:mm:ss')}</div>
          </>
        ) : (
          <>
            <div className="fd-entry-drilltime">{dayjs(entry.at).format('HH:mm:ss')}</div>
            <div className="fd-entry-walltime">{dayjs(entry.at).format('MM-DD')}</div>
          </>
        )}
      </div>
      <div className="fd-entry-body">
        <Flex gap={6} wrap align="center" style={{ marginBottom: 2 }}>
          <Tag color={KIND_COLORS[entry.kind]} style={{ marginInlineEnd: 0 }} data-testid="entry-kind">
            {t(`timeline.kinds.${entry.kind}`)}
          </Tag>
          {entry.kind === 'inject' && exercise && <ExerciseMark />}
          {inject && (
            <Typography.Text type="secondary">
              {channelIcon(inject.channel)} {t(`injectChannels.${inject.channel}`, { defaultValue: inject.channel })} · {inject.sender}
              {' → '}
              {inject.recipients.map((r) => t(`drillRoles.${r}`, { defaultValue: r })).join('、')}
            </Typography.Text>
          )}
          {milestone && (
            <Tag icon={<FlagOutlined />} color="red" style={{ marginInlineEnd: 0 }}>
              {t(`milestones.${milestone}`)}
            </Tag>
          )}
          {checklist && (
            <Tag icon={<CheckSquareOutlined />} color={checklist.done ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
              {checklist.done ? t('checklist.ticked') : t('checklist.unticked')}
            </Tag>
          )}
          {target && (
            <Tag color="orange" style={{ marginInlineEnd: 0 }} data-testid="entry-corrects">
              <a href={`#entry-${target.id}`}>{t('timeline.corrects', { seq: target.seq })}</a>
            </Tag>
          )}
          <Typography.Text type="secondary" style={{ fontSize: large ? 16 : 12 }}>
            {(entry.actorId && actorNames?.get(entry.actorId)) || entry.actorLabel}
          </Typography.Text>
          {onCorrect && !corrected && entry.kind !== 'inject' && entry.kind !== 'status_change' && (
            <Tooltip title={t('timeline.correctHint')}>
              <Button size="small" type="text" icon={<EditOutlined />} onClick={() => onCorrect(entry)} data-testid="entry-correct">
                {t('timeline.correct')}
              </Button>
            </Tooltip>
          )}
        </Flex>
        <div className="fd-entry-text" data-testid="entry-text">
          {entry.kind === 'status_change' && entry.data?.status
            ? // A real incident (wall time) moves through incident states, a drill through drill states.
              basis === 'wall'
              ? t('timeline.incidentStatusChange', { from: t(`incidentStatus.${entry.data.status.from}`, { defaultValue: entry.data.status.from }), to: t(`incidentStatus.${entry.data.status.to}`, { defaultValue: entry.data.status.to }) })
              : t('timeline.statusChange', { from: t(`drillStatus.${entry.data.status.from}`, { defaultValue: entry.data.status.from }), to: t(`drillStatus.${entry.data.status.to}`, { defaultValue: entry.data.status.to }) })
            : entry.text}
        </div>
        {report && (
          <div className="fd-report-box" data-testid="entry-report">
            <div>
              <Typography.Text strong>{t('report.to', { recipient: report.recipient })}</Typography.Text>
              <Typography.Text type="secondary">{` · ${t(`reportChannels.${report.channel}`, { defaultValue: report.channel })}`}</Typography.Text>
            </div>
            {sortFields(Object.entries(report.fields ?? {}), taxonomy.data?.reportFields.map((f) => f.key) ?? []).map(([key, value]) => (
              <div key={key}>
                <Typography.Text type="secondary">{labels.field(key)}：</Typography.Text>
                {value}
              </div>
            ))}
          </div>
        )}
        {corrected && (
          <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="entry-corrected-by">
            <a href={`#entry-${corrected.id}`}>{t('timeline.correctedBy', { seq: corrected.seq })}</a>
          </Typography.Text>
        )}
      </div>
    </div>
  );
}

/** A timeline, newest first by default; corrections are linked both ways, the corrected entry struck through. */
export function TimelineList({ entries, basis, onCorrect, newestFirst = true, limit, size = 'default', exercise = false, emptyText, actorNames }: Props) {
  const { t } = useTranslation();
  const byId = new Map(entries.map((e) => [e.id, e]));
  let shown = newestFirst ? [...entries].reverse() : entries;
  if (limit) shown = newestFirst ? shown.slice(0, limit) : shown.slice(-limit);
  if (shown.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText ?? t('timeline.empty')} />;
  return (
    <div className="fd-timeline" data-testid="timeline">
      {shown.map((entry) => (
        <EntryRow key={entry.id} entry={entry} byId={byId} basis={basis} onCorrect={onCorrect} size={size} exercise={exercise} actorNames={actorNames} />
      ))}
    </div>
  );
}
