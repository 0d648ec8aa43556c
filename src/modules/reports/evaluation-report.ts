import type { ServiceContext } from '../../context.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { scoreDrillFindings } from '../evidence/drill-traces.js';
import { listActions } from '../actions/service.js';
import type { CorrectiveAction } from '../actions/schema.js';
import type { Evaluation } from '../drills/evaluation-schema.js';
import { getEvaluation } from '../drills/evaluation.js';
import type { Drill } from '../drills/schema.js';
import { getDrill, getDrillTimeline } from '../drills/service.js';
import { getPlan } from '../plans/service.js';
import { getScenario } from '../scenarios/service.js';
import { findReportField } from '../incidents/taxonomy.js';
import { milestoneTime, standingEntries, type EscalationClock } from '../timeline/escalation.js';
import type { TimelineEntry } from '../timeline/schema.js';
import { renderTimelineChart } from './chart.js';
import { EXERCISE_MARK, formatMinutes, formatWithin, reportHeader, shanghaiDateTime, shanghaiTime, type Block, type DocumentModel, type ReportLang } from './model.js';

const T = {
  'zh-CN': {
    suffix: '演练总结评估报告',
    basis: '依据 GB/T 38645-2020《信息安全技术 网络安全事件应急演练指南》编写;各项时间均由演练时间线计算得出。',
    h1: '一、演练概况',
    h2: '二、演练准备',
    h3: '三、演练实施',
    h31: '(一)关键时间',
    h32: '(二)响应时间线与报告时限',
    h33: '(三)响应时间指标',
    h34: '(四)报告时限执行情况',
    h35: '(五)日志取证(技术注入)',
    traceLead: (found: number, total: number, falseLeads: number) => `演练生成的日志中埋设了 ${total} 个攻击步骤,处置人员发现 ${found} 个;不对应任何步骤的发现 ${falseLeads} 条。`,
    traceHeader: ['攻击步骤', '结果', '发现用时'],
    found: '已发现',
    missed: '未发现',
    h4: '四、演练目标评估',
    h5: '五、发现的问题',
    h6: '六、改进措施与预案修订',
    h61: '(一)经验总结',
    h62: '(二)整改措施',
    h63: '(三)应急预案修订',
    h64: '(四)问责',
    name: '演练名称',
    time: '演练时间',
    place: '演练地点',
    mode: '演练方式',
    scope: '演练范围',
    scenario: '演练场景',
    purpose: '演练目的',
    content: '演练内容',
    participants: '参演人员',
    plan: '应急预案',
    planVersion: (title: string, n: number) => `${title}(第 ${n} 版)`,
    objectivesCount: (n: number) => `演练设定目标 ${n} 项,见第四部分。`,
    injectsCount: (n: number) => `情景注入 ${n} 条:`,
    rulesLead: '报告规则(按预案):',
    injectHeader: ['计划时间', '方式', '发送方', '内容'],
    ruleHeader: ['报告对象', '时限', '方式', '必报内容'],
    keyHeader: ['节点', '时间', '演练时间'],
    metricHeader: ['指标', '结果'],
    clockHeader: ['报告对象', '时限', '报告时间', '用时', '结果'],
    objHeader: ['评估人', '评定', '得分', '依据'],
    indicatorHeader: ['评估指标', '权重', '得分'],
    actionHeader: ['整改措施', '责任人', '完成期限', '优先级', '状态'],
    started: '演练开始',
    detected: '发现事件',
    firstReport: '首次报告',
    planActivated: '启动预案',
    contained: '控制事态',
    recovered: '恢复',
    ended: '演练结束',
    notReached: '未到达',
    timeToDetect: '发现用时(开始→发现)',
    timeToFirstReport: '首次报告用时(发现→首次报告)',
    timeToContain: '控制用时(发现→控制)',
    timeToRecover: '恢复用时(发现→恢复)',
    totalDuration: '演练总时长',
    injectsAnswered: '情景注入响应',
    injectsValue: (d: number, a: number, i: number) => `共 ${d} 条,已响应 ${a} 条,10 分钟内响应 ${i} 条`,
    rulesMet: '报告时限达成',
    rulesValue: (n: number, met: number, late: number, missed: number) => `适用 ${n} 条:按时 ${met},超时 ${late},未报 ${missed}`,
    chartCaption: '图 1 响应时间线与报告时限(横轴为演练时间,暂停不计)',
    objective: (i: number, text: string) => `目标 ${i}:${text}`,
    criterion: '达标标准:',
    rating: '评定结果:',
    score: '综合得分:',
    unrated: '未评定',
    ratings: { met: '达成', partly_met: '部分达成', not_met: '未达成' } as Record<string, string>,
    states: { met: '按时', late: '超时', overdue: '逾期未报', pending: '未报', waiting: '未触发', not_applicable: '不适用' } as Record<string, string>,
    lateBy: (m: string) => `(超时 ${m})`,
    problemObjective: (text: string, rating: string) => `目标“${text}”评定为${rating}。`,
    problemClock: (recipient: string, state: string, extra: string) => `向${recipient}报告:${state}${extra}。`,
    problemInjects: (n: number) => `${n} 条情景注入未在 10 分钟内得到响应。`,
    findingLead: '演练中的发现:',
    noProblems: '未发现问题。',
    none: '无',
    noActions: '尚未提出整改措施。',
    noRevision: '尚未修订应急预案。',
    revision: (title: string, n: number, status: string) => `${title} 第 ${n} 版(${status})`,
    versionStatus: { draft: '草稿', published: '已发布', superseded: '已被取代' } as Record<string, string>,
    causes: '修订原因:',
    priorities: { high: '高', medium: '中', low: '低' } as Record<string, string>,
    actionStates: { open: '待处理', in_progress: '进行中', done: '已完成(待验证)', verified: '已验证' } as Record<string, string>,
    overdue: '(逾期)',
    modes: { tabletop: '桌面推演', simulated: '模拟演练', hands_on: '实战演练', demonstration: '示范演练' } as Record<string, string>,
    scopes: { comprehensive: '综合演练', single_topic: '专项演练' } as Record<string, string>,
    channels: { phone: '电话', email: '邮件', chat: '即时通讯', system_alert: '系统告警', verbal: '口头', sms: '短信', meeting: '会议' } as Record<string, string>,
    roles: { coordinator: '导调/指挥', responder: '处置', observer: '观察评估' } as Record<string, string>,
    minutes: (n: number) => `${n} 分钟`,
    sep: '、',
    signature: ['评估组组长(签字):', '审核人(签字):', '日期:'],
  },
  en: {
    suffix: ' — drill evaluation report',
    basis: 'Structured after GB/T 38645-2020 (Guide for cybersecurity incident emergency drills); every time is computed from the drill timeline.',
    h1: '1. Overview',
    h2: '2. Preparation',
    h3: '3. Execution',
    h31: '3.1 Key times',
    h32: '3.2 Response timeline and reporting deadlines',
    h33: '3.3 Response-time metrics',
    h34: '3.4 Reporting deadlines',
    h35: '3.5 Log forensics (technical inject)',
    traceLead: (found: number, total: number, falseLeads: number) => `The drill's generated logs held ${total} attack steps; the team found ${found}; ${falseLeads} findings matched no step.`,
    traceHeader: ['Attack step', 'Result', 'Time to find'],
    found: 'found',
    missed: 'missed',
    h4: '4. Evaluation of the objectives',
    h5: '5. Problems found',
    h6: '6. Improvements and plan revision',
    h61: '6.1 What went well',
    h62: '6.2 Corrective actions',
    h63: '6.3 Emergency plan revision',
    h64: '6.4 Accountability',
    name: 'Drill',
    time: 'Time',
    place: 'Place',
    mode: 'Mode',
    scope: 'Scope',
    scenario: 'Scenario',
    purpose: 'Purpose',
    content: 'Content',
    participants: 'Participants',
    plan: 'Emergency plan',
    planVersion: (title: string, n: number) => `${title} (version ${n})`,
    objectivesCount: (n: number) => `${n} objectives were set; see section 4.`,
    injectsCount: (n: number) => `${n} injects:`,
    rulesLead: 'Reporting rules (from the plan):',
    injectHeader: ['Planned at', 'Channel', 'From', 'Content'],
    ruleHeader: ['Report to', 'Within', 'Channel', 'Required content'],
    keyHeader: ['Milestone', 'Time', 'Drill time'],
    metricHeader: ['Metric', 'Result'],
    clockHeader: ['Report to', 'Within', 'Reported at', 'Took', 'Result'],
    objHeader: ['Evaluator', 'Rating', 'Score', 'Evidence'],
    indicatorHeader: ['Indicator', 'Weight', 'Score'],
    actionHeader: ['Corrective action', 'Owner', 'Due', 'Priority', 'Status'],
    started: 'Drill started',
    detected: 'Incident detected',
    firstReport: 'First report',
    planActivated: 'Plan activated',
    contained: 'Contained',
    recovered: 'Recovered',
    ended: 'Drill ended',
    notReached: 'not reached',
    timeToDetect: 'Time to detect (start → detection)',
    timeToFirstReport: 'Time to first report (detection → report)',
    timeToContain: 'Time to contain (detection → containment)',
    timeToRecover: 'Time to recover (detection → recovery)',
    totalDuration: 'Total duration',
    injectsAnswered: 'Injects answered',
    injectsValue: (d: number, a: number, i: number) => `${d} delivered, ${a} answered, ${i} within 10 minutes`,
    rulesMet: 'Reporting deadlines',
    rulesValue: (n: number, met: number, late: number, missed: number) => `${n} applicable: ${met} met, ${late} late, ${missed} missed`,
    chartCaption: 'Figure 1. Response timeline and reporting deadlines (drill time; pauses excluded)',
    objective: (i: number, text: string) => `Objective ${i}: ${text}`,
    criterion: 'Criterion: ',
    rating: 'Rating: ',
    score: 'Score: ',
    unrated: 'not rated',
    ratings: { met: 'met', partly_met: 'partly met', not_met: 'not met' } as Record<string, string>,
    states: { met: 'met', late: 'late', overdue: 'overdue', pending: 'not reported', waiting: 'not triggered', not_applicable: 'not applicable' } as Record<string, string>,
    lateBy: (m: string) => ` (late by ${m})`,
    problemObjective: (text: string, rating: string) => `Objective "${text}" was rated ${rating}.`,
    problemClock: (recipient: string, state: string, extra: string) => `Report to ${recipient}: ${state}${extra}.`,
    problemInjects: (n: number) => `${n} injects were not answered within 10 minutes.`,
    findingLead: 'Findings during the drill:',
    noProblems: 'No problems were found.',
    none: 'none',
    noActions: 'No corrective action has been raised yet.',
    noRevision: 'The emergency plan has not been revised yet.',
    revision: (title: string, n: number, status: string) => `${title}, version ${n} (${status})`,
    versionStatus: { draft: 'draft', published: 'published', superseded: 'superseded' } as Record<string, string>,
    causes: 'Revised because: ',
    priorities: { high: 'high', medium: 'medium', low: 'low' } as Record<string, string>,
    actionStates: { open: 'open', in_progress: 'in progress', done: 'done (awaiting verification)', verified: 'verified' } as Record<string, string>,
    overdue: ' (overdue)',
    modes: { tabletop: 'tabletop exercise', simulated: 'simulated drill', hands_on: 'hands-on drill', demonstration: 'demonstration drill' } as Record<string, string>,
    scopes: { comprehensive: 'comprehensive', single_topic: 'single topic' } as Record<string, string>,
    channels: { phone: 'phone', email: 'e-mail', chat: 'chat', system_alert: 'system alert', verbal: 'verbal', sms: 'SMS', meeting: 'meeting' } as Record<string, string>,
    roles: { coordinator: 'coordinator', responder: 'responder', observer: 'observer' } as Record<string, string>,
    minutes: (n: number) => `${n} min`,
    sep: ', ',
    signature: ['Head of evaluation (signature):', 'Reviewed by (signature):', 'Date:'],
  },
};
type Texts = (typeof T)['zh-CN'];

/** Wall time of a drill-time instant: the first timeline entry at or after it (pauses make the two differ). */
function wallTimeAt(entries: TimelineEntry[], drillMs: number | null): string | null {
  if (drillMs === null) return null;
  const entry = entries.find((e) => (e.drillTimeMs ?? 0) >= drillMs);
  return entry ? entry.at : null;
}

function overview(drill: Drill, t: Texts, lang: ReportLang, scenarioTitle: string | null): Block[] {
  const when = drill.startedAt ?? drill.scheduledStart;
  const span = when ? `${shanghaiDateTime(when, lang)}${drill.endedAt ? ` – ${shanghaiTime(drill.endedAt)}` : ''}` : t.none;
  const participants = drill.participants.map((p) => `${p.name}(${t.roles[p.role] ?? p.role})`).join(t.sep) || t.none;
  const rows: [string, string][] = [
    [t.name, drill.title],
    [t.time, span],
    [t.place, drill.place || t.none],
    [t.mode, t.modes[drill.mode] ?? drill.mode],
    [t.scope, t.scopes[drill.scope] ?? drill.scope],
  ];
  if (scenarioTitle) rows.push([t.scenario, scenarioTitle]);
  rows.push([t.content, drill.content || t.none], [t.purpose, drill.purpose || t.none], [t.participants, participants]);
  return [{ type: 'kv', rows }];
}

function preparation(drill: Drill, t: Texts, lang: ReportLang): Block[] {
  const blocks: Block[] = [];
  blocks.push({ type: 'paragraph', label: `${t.plan}${lang === 'zh-CN' ? ':' : ': '}`, text: drill.plan ? t.planVersion(drill.plan.title, drill.plan.number) : t.none });
  blocks.push({ type: 'paragraph', text: t.objectivesCount(drill.objectives.length) });
  if (drill.injects.length) {
    blocks.push({ type: 'paragraph', text: t.injectsCount(drill.injects.length) });
    blocks.push({
      type: 'table',
      header: t.injectHeader,
      widths: [13, 13, 18, 56],
      rows: drill.injects.map((i) => [i.offsetMs === null ? '—' : `+${t.minutes(Math.round(i.offsetMs / 60_000))}`, t.channels[i.channel] ?? i.channel, i.sender, i.content]),
    });
  }
  if (drill.escalationRules.length) {
    blocks.push({ type: 'paragraph', text: t.rulesLead });
    blocks.push({
      type: 'table',
      header: t.ruleHeader,
      widths: [26, 14, 16, 44],
      rows: drill.escalationRules.map((r) => [r.recipient, formatWithin(r.withinMinutes, lang), t.channels[r.channel] ?? r.channel, r.requiredFields.map((f) => findReportField(f)?.name[lang] ?? f).join(t.sep) || t.none]),
    });
  }
  return blocks;
}

function execution(entries: TimelineEntry[], evaluation: Evaluation, clocks: EscalationClock[], t: Texts, lang: ReportLang): Block[] {
  const standing = standingEntries(entries).sort((a, b) => (a.drillTimeMs ?? 0) - (b.drillTimeMs ?? 0) || a.seq - b.seq);
  const m = evaluation.metrics;
  const at = (milestone: Parameters<typeof milestoneTime>[1]) => milestoneTime(standing, milestone, 'drill');
  const detected = at('detected');
  const firstReport = detected === null || m.timeToFirstReportMs === null ? null : detected + m.timeToFirstReportMs;
  const key: [string, number | null][] = [
    [t.started, at('started')],
    [t.detected, detected],
    [t.firstReport, firstReport],
    [t.planActivated, at('plan_activated')],
    [t.contained, at('contained')],
    [t.recovered, at('recovered')],
    [t.ended, at('ended')],
  ];
  // In the order they happened; milestones never reached last.
  key.sort((a, b) => (a[1] ?? Infinity) - (b[1] ?? Infinity));
  const keyRows = key.map(([name, ms]) => {
    const wall = wallTimeAt(standing, ms);
    return [name, ms === null ? t.notReached : wall ? shanghaiTime(wall) : '—', ms === null ? '—' : `+${formatMinutes(ms, lang)}`];
  });

  const chart = renderTimelineChart({
    lang,
    milestones: { detected, planActivated: at('plan_activated'), contained: at('contained'), recovered: at('recovered'), ended: at('ended') },
    injects: standing.filter((e) => e.kind === 'inject').map((e) => e.drillTimeMs ?? 0),
    reports: standing.filter((e) => e.kind === 'report' || e.kind === 'notification').map((e) => e.drillTimeMs ?? 0),
    clocks,
  });

  const metricRows: string[][] = [
    [t.timeToDetect, formatMinutes(m.timeToDetectMs, lang)],
    [t.timeToFirstReport, formatMinutes(m.timeToFirstReportMs, lang)],
    [t.timeToContain, formatMinutes(m.timeToContainMs, lang)],
    [t.timeToRecover, formatMinutes(m.timeToRecoverMs, lang)],
    [t.totalDuration, formatMinutes(m.totalDurationMs, lang)],
    [t.injectsAnswered, t.injectsValue(m.injects.delivered, m.injects.answered, m.injects.answeredInTime)],
    [t.rulesMet, t.rulesValue(m.escalations.applicable, m.escalations.met, m.escalations.late, m.escalations.missed)],
  ];
  const clockRows = clocks.map((c) => {
    const wall = wallTimeAt(standing, c.reportedAtMs);
    const took = c.reportedAtMs !== null && c.triggeredAtMs !== null ? formatMinutes(c.reportedAtMs - c.triggeredAtMs, lang) : '—';
    const extra = c.lateByMs !== null ? t.lateBy(formatMinutes(c.lateByMs, lang)) : '';
    return [c.recipient, formatWithin(c.withinMinutes, lang), wall ? shanghaiTime(wall) : '—', took, `${t.states[c.state] ?? c.state}${extra}`];
  });

  return [
    { type: 'heading', level: 2, text: t.h31 },
    { type: 'table', header: t.keyHeader, widths: [40, 30, 30], rows: keyRows },
    { type: 'heading', level: 2, text: t.h32 },
    { type: 'image', ...chart, caption: t.chartCaption },
    { type: 'heading', level: 2, text: t.h33 },
    { type: 'table', header: t.metricHeader, widths: [45, 55], rows: metricRows },
    { type: 'heading', level: 2, text: t.h34 },
    clockRows.length ? { type: 'table', header: t.clockHeader, widths: [30, 14, 16, 16, 24], rows: clockRows } : { type: 'paragraph', text: t.none },
  ];
}

/** The score of the team's findings against a technical inject's ground truth, when the drill has one. */
function forensics(score: Awaited<ReturnType<typeof scoreDrillFindings>> | null, t: Texts, lang: ReportLang): Block[] {
  if (!score) return [];
  return [
    { type: 'heading', level: 2, text: t.h35 },
    { type: 'paragraph', text: t.traceLead(score.found, score.total, score.falseLeads.length) },
    {
      type: 'table',
      header: t.traceHeader,
      widths: [60, 15, 25],
      rows: score.steps.map((s) => [s.title[lang], s.found ? t.found : t.missed, s.timeToFindMs === null ? '—' : `+${formatMinutes(s.timeToFindMs, lang)}`]),
    },
  ];
}

/** The score of the drill's technical inject, or null without one (or while the caller may not see it yet). */
async function forensicsScore(ctx: ServiceContext, drillId: string) {
  try {
    return await scoreDrillFindings(ctx, drillId);
  } catch (err) {
    if (err instanceof NotFoundError || err instanceof ForbiddenError) return null;
    throw err;
  }
}

function objectives(evaluation: Evaluation, t: Texts): Block[] {
  return evaluation.objectives.flatMap((o, i): Block[] => {
    const blocks: Block[] = [
      { type: 'heading', level: 2, text: t.objective(i + 1, o.text) },
      { type: 'paragraph', label: t.criterion, text: o.criterion || t.none },
      { type: 'paragraph', label: t.rating, text: o.rating ? t.ratings[o.rating] : t.unrated },
    ];
    if (o.score !== null) blocks.push({ type: 'paragraph', label: t.score, text: String(o.score) });
    if (o.ratings.length) {
      blocks.push({ type: 'table', header: t.objHeader, widths: [18, 14, 10, 58], rows: o.ratings.map((r) => [r.raterName, t.ratings[r.rating], r.score === null ? '—' : String(r.score), r.evidence]) });
      // With several evaluators each indicator row names whose form it comes from.
      const several = o.ratings.length > 1;
      const indicators = o.ratings.flatMap((r) => r.indicators.map((x) => [...(several ? [r.raterName] : []), x.text, String(x.weight), String(x.score)]));
      if (indicators.length) {
        blocks.push({ type: 'table', header: several ? [t.objHeader[0], ...t.indicatorHeader] : t.indicatorHeader, widths: several ? [18, 52, 15, 15] : [70, 15, 15], rows: indicators });
      }
    }
    return blocks;
  });
}

function problems(evaluation: Evaluation, clocks: EscalationClock[], entries: TimelineEntry[], t: Texts, lang: ReportLang): Block[] {
  const items: string[] = [];
  for (const o of evaluation.objectives) if (o.rating === 'not_met' || o.rating === 'partly_met') items.push(t.problemObjective(o.text, t.ratings[o.rating]));
  for (const c of clocks) {
    if (c.state === 'late' || c.state === 'overdue' || c.state === 'pending') items.push(t.problemClock(c.recipient, t.states[c.state], c.lateByMs !== null ? t.lateBy(formatMinutes(c.lateByMs, lang)) : ''));
  }
  const unanswered = evaluation.metrics.injects.delivered - evaluation.metrics.injects.answeredInTime;
  if (unanswered > 0) items.push(t.problemInjects(unanswered));
  for (const l of evaluation.lessons) if (l.kind === 'to_improve') items.push(l.text);
  const findings = standingEntries(entries).filter((e) => e.kind === 'finding');
  const blocks: Block[] = [items.length ? { type: 'list', ordered: true, items: items.map((text) => ({ text })) } : { type: 'paragraph', text: t.noProblems }];
  if (findings.length) {
    blocks.push({ type: 'paragraph', text: t.findingLead });
    blocks.push({ type: 'list', ordered: false, items: findings.map((f) => ({ text: `${shanghaiTime(f.at)} ${f.text}` })) });
  }
  return blocks;
}

function actionRow(a: CorrectiveAction, t: Texts): string[] {
  return [a.description ? `${a.title}\n${a.description}` : a.title, a.owner.name, a.dueDate, t.priorities[a.priority], `${t.actionStates[a.status]}${a.overdue ? t.overdue : ''}`];
}

/**
 * The drill evaluation report (演练总结评估报告) in the structure of GB/T 38645-2020: overview, preparation,
 * execution (key times, the response-timeline chart, metrics, reporting deadlines), evaluation of each objective,
 * problems found, improvements (what went well, corrective actions, plan revision, accountability).
 * Every figure comes from the timeline and the evaluation; nothing is typed into the report. Throws NotFound.
 */
export async function buildEvaluationReport(ctx: ServiceContext, drillId: string, lang: ReportLang): Promise<DocumentModel> {
  const t = T[lang];
  const [drill, timeline, evaluation, actions, score] = await Promise.all([
    getDrill(ctx, drillId),
    getDrillTimeline(ctx, drillId),
    getEvaluation(ctx, drillId),
    listActions(ctx, { drillId }),
    forensicsScore(ctx, drillId),
  ]);
  const entries = timeline.entries;
  const clocks = timeline.escalations;

  // Plan versions revised because of this drill, its lessons, findings or corrective actions.
  const refs = new Set<string>([drillId, ...actions.map((a) => a.id), ...evaluation.lessons.map((l) => l.id), ...entries.map((e) => e.id)]);
  const plan = drill.plan ? await getPlan(ctx, drill.plan.id) : null;
  const revisions = (plan?.versions ?? []).filter((v) => v.revisionCauses.some((c) => c.refId !== undefined && refs.has(c.refId)));

  const wentWell = evaluation.lessons.filter((l) => l.kind === 'went_well');
  const accountability = evaluation.lessons.filter((l) => l.kind === 'accountability');
  const scenarioTitle = drill.scenarioId ? (await getScenario(ctx, drill.scenarioId)).definition.title[lang] : null;

  const blocks: Block[] = [
    { type: 'heading', level: 1, text: t.h1 },
    ...overview(drill, t, lang, scenarioTitle),
    { type: 'heading', level: 1, text: t.h2 },
    ...preparation(drill, t, lang),
    { type: 'heading', level: 1, text: t.h3 },
    ...execution(entries, evaluation, clocks, t, lang),
    ...forensics(score, t, lang),
    { type: 'heading', level: 1, text: t.h4 },
    ...(evaluation.objectives.length ? objectives(evaluation, t) : [{ type: 'paragraph' as const, text: t.none }]),
    { type: 'heading', level: 1, text: t.h5 },
    ...problems(evaluation, clocks, entries, t, lang),
    { type: 'heading', level: 1, text: t.h6 },
    { type: 'heading', level: 2, text: t.h61 },
    wentWell.length ? { type: 'list', ordered: true, items: wentWell.map((l) => ({ text: l.text })) } : { type: 'paragraph', text: t.none },
    { type: 'heading', level: 2, text: t.h62 },
    actions.length ? { type: 'table', header: t.actionHeader, widths: [44, 14, 14, 10, 18], rows: actions.map((a) => actionRow(a, t)) } : { type: 'paragraph', text: t.noActions },
    { type: 'heading', level: 2, text: t.h63 },
    ...(revisions.length
      ? revisions.flatMap((v): Block[] => [
          { type: 'paragraph', text: t.revision(plan!.title, v.number, t.versionStatus[v.status] ?? v.status) },
          { type: 'list', ordered: false, items: v.revisionCauses.map((c) => ({ text: c.text })) },
        ])
      : [{ type: 'paragraph' as const, text: t.noRevision }]),
    { type: 'heading', level: 2, text: t.h64 },
    accountability.length ? { type: 'list', ordered: true, items: accountability.map((l) => ({ text: l.text })) } : { type: 'paragraph', text: t.none },
    { type: 'signature', lines: t.signature },
  ];
  return {
    lang,
    // 演练 + 演练总结评估报告 would say 演练 twice.
    title: lang === 'zh-CN' ? `${EXERCISE_MARK[lang]}${drill.title}${drill.title.endsWith('演练') ? t.suffix.slice(2) : t.suffix}` : `${EXERCISE_MARK[lang]} ${drill.title}${t.suffix}`,
    header: await reportHeader(ctx, lang, true, drill.title),
    subtitle: t.basis,
    blocks,
  };
}
