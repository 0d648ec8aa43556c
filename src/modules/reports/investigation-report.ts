import type { ServiceContext } from '../../context.js';
import { listActions } from '../actions/service.js';
import { listLessons } from '../drills/evaluation.js';
import { getDrillTimeline } from '../drills/service.js';
import type { Incident } from '../incidents/schema.js';
import { drillIncident, getIncident, getIncidentTimeline, getInvestigation } from '../incidents/service.js';
import { findCategory, findLevel, findSubcategory } from '../incidents/taxonomy.js';
import { NotFoundError } from '../../errors.js';
import { standingEntries, type EscalationClock } from '../timeline/escalation.js';
import type { TimelineEntry } from '../timeline/schema.js';
import { isDirectorNote, isFollowUp, recordItem } from './drill-record.js';
import { EXERCISE_MARK, formatMinutes, formatWithin, reportHeader, shanghaiDateTime, shanghaiTime, type Block, type DocumentModel, type ReportLang } from './model.js';

const T = {
  'zh-CN': {
    suffix: '安全事件调查报告',
    basis: '调查内容:事件影响范围、发生时间、持续时间、应急处理过程、后果评价;采取的主要应急响应措施及其有效性;主要经验教训和预防措施;事件根源、泄露源和违规操作人员;报告情况。',
    h1: '一、事件概况',
    h2: '二、影响范围',
    h3: '三、事件发生时间与持续时间',
    h4: '四、应急处理过程',
    h5: '五、后果评价',
    h6: '六、采取的主要应急响应措施及其有效性',
    h7: '七、主要经验教训和预防措施',
    h8: '八、事件根源、泄露源及违规操作人员',
    h9: '九、报告与通报情况',
    h10: '十、调查结论',
    title: '事件名称',
    category: '事件分类(GB/T 20986-2023)',
    level: '事件级别',
    status: '处置状态',
    description: '事件描述',
    scope: '影响范围',
    systems: '受影响系统',
    occurred: '发生时间',
    detected: '发现时间',
    reported: '首次报告时间',
    contained: '控制时间',
    eradicated: '根除时间',
    recovered: '恢复时间',
    closed: '关闭时间',
    duration: '持续时间(发生→恢复)',
    detectionDelay: '发现用时(发生→发现)',
    responseTime: '处置用时(发现→恢复)',
    measuresLead: '处置中采取的措施:',
    effectiveness: '措施有效性评价:',
    actionsLead: '整改措施及落实情况:',
    actionHeader: ['整改措施', '责任人', '完成期限', '状态', '验证情况'],
    lessons: '主要经验教训:',
    wentWell: '做得好的方面:',
    toImprove: '需要改进的方面:',
    preventive: '预防措施:',
    rootCause: '事件根源:',
    leakSource: '泄露源:',
    actors: '违规/非法操作人员:',
    findingsLead: '调查发现:',
    reportHeader: ['时间', '报告对象', '方式', '内容'],
    clocksLead: '报告时限执行情况:',
    clockHeader: ['报告对象', '时限', '结果'],
    reportedTo: '调查完成后的报告与报案:',
    conclusion: '调查结论:',
    investigators: '调查组成员:',
    statuses: { open: '已发现', responding: '处置中', contained: '已控制', recovered: '已恢复', closed: '已关闭' } as Record<string, string>,
    actionStates: { open: '待处理', in_progress: '进行中', done: '已完成(待验证)', verified: '已验证' } as Record<string, string>,
    states: { met: '按时', late: '超时', overdue: '逾期未报', pending: '未报', waiting: '未触发', not_applicable: '不适用' } as Record<string, string>,
    channels: { phone: '电话', email: '邮件', chat: '即时通讯', system_alert: '系统告警', verbal: '口头', sms: '短信', meeting: '会议' } as Record<string, string>,
    lateBy: (m: string) => `(超时 ${m})`,
    notRecorded: '(未记录)',
    notWritten: '(调查组尚未填写)',
    none: '无',
    sep: '、',
    signature: ['调查组组长(签字):', '调查组成员(签字):', '日期:'],
  },
  en: {
    suffix: ' — incident investigation report',
    basis: 'Covers: scope of impact, time of occurrence and duration, handling, consequences; the main response measures and how effective they were; lessons and preventive measures; root cause, source of the leak and who acted; whom it was reported to.',
    h1: '1. Overview',
    h2: '2. Scope of impact',
    h3: '3. Time of occurrence and duration',
    h4: '4. Handling process',
    h5: '5. Consequences',
    h6: '6. Response measures and their effectiveness',
    h7: '7. Lessons and preventive measures',
    h8: '8. Root cause, source of the leak and who acted',
    h9: '9. Reporting',
    h10: '10. Conclusion',
    title: 'Incident',
    category: 'Category (GB/T 20986-2023)',
    level: 'Level',
    status: 'Status',
    description: 'Description',
    scope: 'Scope of impact',
    systems: 'Affected systems',
    occurred: 'Occurred',
    detected: 'Detected',
    reported: 'First reported',
    contained: 'Contained',
    eradicated: 'Eradicated',
    recovered: 'Recovered',
    closed: 'Closed',
    duration: 'Duration (occurrence → recovery)',
    detectionDelay: 'Time to detect (occurrence → detection)',
    responseTime: 'Time to recover (detection → recovery)',
    measuresLead: 'Measures taken during the response:',
    effectiveness: 'How effective they were: ',
    actionsLead: 'Corrective actions and their state:',
    actionHeader: ['Corrective action', 'Owner', 'Due', 'Status', 'Verification'],
    lessons: 'Main lessons: ',
    wentWell: 'What went well:',
    toImprove: 'What to improve:',
    preventive: 'Preventive measures: ',
    rootCause: 'Root cause: ',
    leakSource: 'Source of the leak: ',
    actors: 'Who acted: ',
    findingsLead: 'Findings:',
    reportHeader: ['Time', 'Reported to', 'Channel', 'Content'],
    clocksLead: 'Reporting deadlines:',
    clockHeader: ['Report to', 'Within', 'Result'],
    reportedTo: 'Reported after the investigation to: ',
    conclusion: 'Conclusion: ',
    investigators: 'Investigators: ',
    statuses: { open: 'open', responding: 'responding', contained: 'contained', recovered: 'recovered', closed: 'closed' } as Record<string, string>,
    actionStates: { open: 'open', in_progress: 'in progress', done: 'done (awaiting verification)', verified: 'verified' } as Record<string, string>,
    states: { met: 'met', late: 'late', overdue: 'overdue', pending: 'not reported', waiting: 'not triggered', not_applicable: 'not applicable' } as Record<string, string>,
    channels: { phone: 'phone', email: 'e-mail', chat: 'chat', system_alert: 'system alert', verbal: 'verbal', sms: 'SMS', meeting: 'meeting' } as Record<string, string>,
    lateBy: (m: string) => ` (late by ${m})`,
    notRecorded: '(not recorded)',
    notWritten: '(not yet written by the investigation team)',
    none: 'none',
    sep: ', ',
    signature: ['Head of investigation (signature):', 'Investigators (signature):', 'Date:'],
  },
};
type Texts = (typeof T)['zh-CN'];

function classification(incident: Incident, lang: ReportLang): string {
  const category = findCategory(incident.category);
  const sub = incident.subcategory ? findSubcategory(incident.subcategory) : undefined;
  const name = category ? category.name[lang] : incident.category;
  return sub ? `${name} / ${sub.subcategory.name[lang]}` : name;
}

const span = (from: string | null, to: string | null) => (from && to ? Date.parse(to) - Date.parse(from) : null);

function keyTimes(incident: Incident, t: Texts, lang: ReportLang): Block {
  const when = (iso: string | null) => (iso ? shanghaiDateTime(iso, lang) : t.notRecorded);
  return {
    type: 'kv',
    rows: [
      [t.occurred, when(incident.occurredAt)],
      [t.detected, when(incident.detectedAt)],
      [t.reported, when(incident.reportedAt)],
      [t.contained, when(incident.containedAt)],
      [t.eradicated, when(incident.eradicatedAt)],
      [t.recovered, when(incident.recoveredAt)],
      [t.closed, when(incident.closedAt)],
      [t.detectionDelay, formatMinutes(span(incident.occurredAt, incident.detectedAt), lang)],
      [t.responseTime, formatMinutes(span(incident.detectedAt, incident.recoveredAt), lang)],
      [t.duration, formatMinutes(span(incident.occurredAt, incident.recoveredAt ?? incident.closedAt), lang)],
    ],
  };
}

/** A paragraph with a label, or the "not yet written" mark when the investigation left it empty. */
function written(label: string, text: string, t: Texts): Block {
  return { type: 'paragraph', ...(label ? { label } : {}), text: text.trim() ? text : t.notWritten };
}

function reporting(entries: TimelineEntry[], clocks: EscalationClock[], t: Texts, lang: ReportLang): Block[] {
  const reports = entries.filter((e) => (e.kind === 'report' || e.kind === 'notification') && (e.data as { report?: unknown }).report);
  const blocks: Block[] = [];
  if (reports.length) {
    blocks.push({
      type: 'table',
      header: t.reportHeader,
      widths: [12, 22, 14, 52],
      rows: reports.map((e) => {
        const r = (e.data as { report: { recipient: string; channel: string } }).report;
        return [shanghaiTime(e.at), r.recipient, t.channels[r.channel] ?? r.channel, e.text];
      }),
    });
  }
  const applicable = clocks.filter((c) => c.state !== 'not_applicable');
  if (applicable.length) {
    blocks.push({ type: 'paragraph', text: t.clocksLead });
    blocks.push({
      type: 'table',
      header: t.clockHeader,
      widths: [40, 20, 40],
      rows: applicable.map((c) => [c.recipient, formatWithin(c.withinMinutes, lang), `${t.states[c.state] ?? c.state}${c.lateByMs !== null ? t.lateBy(formatMinutes(c.lateByMs, lang)) : ''}`]),
    });
  }
  return blocks;
}

/**
 * The incident investigation report (安全事件调查报告), the seed's step 10: scope of impact, time of occurrence
 * and duration, the handling process from the timeline, consequences, measures and how effective they were
 * (with the corrective actions' verification), lessons and preventive measures, root cause, source of the leak
 * and who acted, and to whom it was reported. `id` is an incident, or a drill (its incident).
 * Throws NotFound.
 */
export async function buildInvestigationReport(ctx: ServiceContext, id: string, lang: ReportLang, kind: 'incident' | 'drill'): Promise<DocumentModel> {
  const t = T[lang];
  let incident: Incident;
  let entries: TimelineEntry[];
  let clocks: EscalationClock[];
  let lessons: { kind: string; text: string }[] = [];
  if (kind === 'drill') {
    const found = await drillIncident(ctx.db, id);
    if (!found) throw new NotFoundError('drill', id);
    const [timeline, drillLessons] = await Promise.all([getDrillTimeline(ctx, id), listLessons(ctx, id)]);
    incident = found;
    entries = timeline.entries.filter((e) => !isDirectorNote(e) && !isFollowUp(e));
    clocks = timeline.escalations;
    lessons = drillLessons;
  } else {
    incident = await getIncident(ctx, id);
    const timeline = await getIncidentTimeline(ctx, id);
    entries = timeline.entries;
    clocks = timeline.escalations;
  }
  const standing = standingEntries(entries);
  const [investigation, actions] = await Promise.all([
    getInvestigation(ctx, incident.id),
    listActions(ctx, incident.drillId ? { drillId: incident.drillId } : { incidentId: incident.id }),
  ]);

  // The main measures: decisions, and actions that reached a milestone or ticked a step of the plan.
  const measures = standing.filter((e) => {
    const data = e.data as { milestone?: string; checklist?: unknown };
    return e.kind === 'decision' || (e.kind === 'action' && (data.milestone !== undefined || data.checklist !== undefined));
  });
  const findings = standing.filter((e) => e.kind === 'finding');
  const wentWell = lessons.filter((l) => l.kind === 'went_well');
  const toImprove = lessons.filter((l) => l.kind === 'to_improve');
  const level = incident.level ? findLevel(incident.level) : undefined;

  const blocks: Block[] = [
    { type: 'heading', level: 1, text: t.h1 },
    {
      type: 'kv',
      rows: [
        [t.title, incident.title],
        [t.category, classification(incident, lang)],
        [t.level, level ? `${incident.level} ${level.name[lang]}` : t.notRecorded],
        [t.status, t.statuses[incident.status] ?? incident.status],
        [t.description, incident.description || t.notRecorded],
      ],
    },
    { type: 'heading', level: 1, text: t.h2 },
    { type: 'kv', rows: [[t.scope, incident.scope || t.notRecorded], [t.systems, incident.affectedSystems.join(t.sep) || t.notRecorded]] },
    { type: 'heading', level: 1, text: t.h3 },
    keyTimes(incident, t, lang),
    { type: 'heading', level: 1, text: t.h4 },
    standing.length ? { type: 'list', ordered: true, items: standing.map((e) => recordItem(e, lang)) } : { type: 'paragraph', text: t.notRecorded },
    { type: 'heading', level: 1, text: t.h5 },
    written('', investigation.consequences, t),
    { type: 'heading', level: 1, text: t.h6 },
    ...(measures.length ? [{ type: 'paragraph' as const, text: t.measuresLead }, { type: 'list' as const, ordered: true, items: measures.map((e) => ({ text: `${shanghaiTime(e.at)} ${e.text}` })) }] : []),
    written(t.effectiveness, investigation.measuresEffectiveness, t),
    ...(actions.length
      ? [
          { type: 'paragraph' as const, text: t.actionsLead },
          {
            type: 'table' as const,
            header: t.actionHeader,
            widths: [36, 12, 14, 14, 24],
            rows: actions.map((a) => [a.title, a.owner.name, a.dueDate, t.actionStates[a.status], a.verificationEvidence ? `${a.verifiedBy ?? ''}${a.verifiedBy ? (lang === 'zh-CN' ? ':' : ': ') : ''}${a.verificationEvidence}` : '—']),
          },
        ]
      : []),
    { type: 'heading', level: 1, text: t.h7 },
    written(t.lessons, investigation.lessons, t),
    ...(wentWell.length ? [{ type: 'paragraph' as const, text: t.wentWell }, { type: 'list' as const, ordered: false, items: wentWell.map((l) => ({ text: l.text })) }] : []),
    ...(toImprove.length ? [{ type: 'paragraph' as const, text: t.toImprove }, { type: 'list' as const, ordered: false, items: toImprove.map((l) => ({ text: l.text })) }] : []),
    written(t.preventive, investigation.preventiveMeasures, t),
    { type: 'heading', level: 1, text: t.h8 },
    written(t.rootCause, investigation.rootCause, t),
    written(t.leakSource, investigation.leakSource, t),
    written(t.actors, investigation.actors, t),
    ...(findings.length ? [{ type: 'paragraph' as const, text: t.findingsLead }, { type: 'list' as const, ordered: false, items: findings.map((f) => ({ text: `${shanghaiTime(f.at)} ${f.text}` })) }] : []),
    { type: 'heading', level: 1, text: t.h9 },
    ...reporting(standing, clocks, t, lang),
    written(t.reportedTo, investigation.reportedTo, t),
    { type: 'heading', level: 1, text: t.h10 },
    written(t.conclusion, investigation.conclusion, t),
    written(t.investigators, investigation.investigators, t),
    { type: 'signature', lines: t.signature },
  ];
  const exercise = incident.isDrill;
  const mark = exercise ? `${EXERCISE_MARK[lang]}${lang === 'en' ? ' ' : ''}` : '';
  return {
    lang,
    title: `${mark}${incident.title}${t.suffix}`,
    header: await reportHeader(ctx, lang, exercise, incident.title),
    subtitle: t.basis,
    blocks,
  };
}
