import type { ServiceContext } from '../../context.js';
import { getDrill, getDrillTimeline } from '../drills/service.js';
import type { Group } from '../org/schema.js';
import { getPeopleByIds, listGroups } from '../org/service.js';
import type { TimelineEntry } from '../timeline/schema.js';
import { EXERCISE_MARK, reportHeader, shanghaiDate, shanghaiTime, type Block, type DocumentModel, type ListItem, type ReportLang } from './model.js';

function morningOrAfternoon(iso: string): string {
  const hour = Number(shanghaiTime(iso).split(':')[0]);
  return hour < 12 ? '上午' : '下午';
}

const T = {
  'zh-CN': {
    recordSuffix: '记录',
    preamble:
      '为妥善应对和处置我公司重要信息系统突发事件,确保重要信息系统安全、稳定、持续运行,防止造成重大损失和影响,进一步提高网络与信息系统应急保障能力,特制定本演练方案:',
    h1: '一、指导思想',
    h2: '二、组织机构',
    h3: '三、演练方案',
    h4: '四、应急演练阶段',
    h41: '(一)演练时间、地点、方式及参加人员',
    h42: '(二)演练内容记录',
    planTime: '(一)演练时间:',
    planContent: '(二)演练内容:',
    planPurpose: '(三)演练的目的:',
    heldOn: (date: string, n: number) => (n > 0 ? `${date}举行应急演练,${n}人参加。` : `${date}举行应急演练。`),
    leader: '组长',
    members: '成员',
    duties: '职责是:',
    time: '时间:',
    place: '地点:',
    mode: '方式:',
    participants: '参加人员:',
    sep: '、',
    colon: ':',
    none: '(未填写)',
    fallbackGroup: '应急演练参加人员',
    recipient: '报告对象',
    channel: '方式',
    start: '应急预案演练开始。',
    paused: '演练暂停。',
    resumed: '演练继续。',
    ended: '演练结束。',
    evaluated: '演练评估完成。',
    closed: '演练归档关闭。',
    inject: '演练紧急事件发生',
    from: '来自',
    decision: '决策',
    finding: '发现',
    observation: '观察',
    report: '报告',
    notification: '通知',
    signature: ['记录人(签字):', '审核人(签字):', '日期:'],
    modes: { tabletop: '桌面推演', simulated: '模拟演练', hands_on: '实战演练', demonstration: '示范演练' } as Record<string, string>,
    channels: { phone: '电话', email: '邮件', chat: '即时通讯', system_alert: '系统告警', verbal: '口头', sms: '短信', meeting: '会议' } as Record<string, string>,
    fields: { occurred_at: '事发时间', scope: '影响范围', trend: '发展趋势', measures: '已采取的措施' } as Record<string, string>,
  },
  en: {
    recordSuffix: ' — drill record',
    preamble:
      'To handle emergencies in the company’s important information systems properly, keep them secure, stable and running, prevent major losses and impact, and strengthen the emergency readiness of network and information systems, this drill plan is drawn up.',
    h1: '1. Guiding principle',
    h2: '2. Organisation',
    h3: '3. Drill plan',
    h4: '4. Drill stage',
    h41: '4.1 Time, place, mode and participants',
    h42: '4.2 Record of the drill',
    planTime: '3.1 Time: ',
    planContent: '3.2 Content: ',
    planPurpose: '3.3 Purpose: ',
    heldOn: (date: string, n: number) => (n > 0 ? `A drill on ${date}; ${n} people take part.` : `A drill on ${date}.`),
    leader: 'Leader',
    members: 'Members',
    duties: 'Duties: ',
    time: 'Time: ',
    place: 'Place: ',
    mode: 'Mode: ',
    participants: 'Participants: ',
    sep: ', ',
    colon: ': ',
    none: '(not given)',
    fallbackGroup: 'Drill participants',
    recipient: 'Reported to',
    channel: 'channel',
    start: 'The emergency-plan drill starts.',
    paused: 'The drill is paused.',
    resumed: 'The drill resumes.',
    ended: 'The drill ends.',
    evaluated: 'The drill has been evaluated.',
    closed: 'The drill is closed.',
    inject: 'The emergency',
    from: 'from',
    decision: 'Decision',
    finding: 'Finding',
    observation: 'Observation',
    report: 'Report',
    notification: 'Notification',
    signature: ['Recorded by (signature):', 'Reviewed by (signature):', 'Date:'],
    modes: { tabletop: 'tabletop exercise', simulated: 'simulated drill', hands_on: 'hands-on drill', demonstration: 'demonstration drill' } as Record<string, string>,
    channels: { phone: 'phone', email: 'e-mail', chat: 'chat', system_alert: 'system alert', verbal: 'verbal', sms: 'SMS', meeting: 'meeting' } as Record<string, string>,
    fields: { occurred_at: 'When it happened', scope: 'Scope of impact', trend: 'Trend', measures: 'Measures taken' } as Record<string, string>,
  },
};
type Texts = (typeof T)['zh-CN'];

interface ReportLike {
  recipient?: string;
  channel?: string;
  fields?: Record<string, string>;
}

function orNone(s: string | null | undefined, t: Texts): string {
  return s && s.trim() ? s : t.none;
}

/** One numbered item of 演练内容记录 for a timeline entry: "9:15 text", with report details as sub-lines. */
export function recordItem(entry: TimelineEntry, lang: ReportLang): ListItem {
  const t = T[lang];
  const time = shanghaiTime(entry.at);
  const data = entry.data as { status?: { from: string; to: string }; inject?: { sender?: string; channel?: string }; report?: ReportLike };
  let text: string;
  switch (entry.kind) {
    case 'status_change': {
      const to = data.status?.to;
      const from = data.status?.from;
      text = to === 'running' ? (from === 'paused' ? t.resumed : t.start) : to === 'paused' ? t.paused : to === 'ended' ? t.ended : to === 'evaluated' ? t.evaluated : to === 'closed' ? t.closed : entry.text;
      break;
    }
    case 'inject': {
      const via = [data.inject?.sender ? `${t.from}${lang === 'en' ? ' ' : ''}${data.inject.sender}` : '', data.inject?.channel ? (t.channels[data.inject.channel] ?? data.inject.channel) : ''].filter(Boolean);
      const open = lang === 'zh-CN' ? '(' : ' (';
      text = `${t.inject}${via.length ? `${open}${via.join(t.sep)})` : ''}${t.colon}${entry.text}`;
      break;
    }
    case 'decision':
    case 'finding':
    case 'observation':
      text = `${t[entry.kind]}${t.colon}${entry.text}`;
      break;
    default:
      text = entry.text;
  }
  const item: ListItem = { text: `${time} ${text}` };
  const report = data.report;
  if (report && (entry.kind === 'report' || entry.kind === 'notification')) {
    const channel = report.channel ? (t.channels[report.channel] ?? report.channel) : '';
    const sub = [`${t.recipient}${t.colon}${report.recipient ?? ''}${channel ? (lang === 'zh-CN' ? `(${t.channel}:${channel})` : ` (${t.channel}: ${channel})`) : ''}`];
    for (const [key, value] of Object.entries(report.fields ?? {})) sub.push(`${t.fields[key] ?? key}${t.colon}${value}`);
    item.sub = sub;
  }
  return item;
}

/** Evaluating and closing a drill happen days later: part of its follow-up, not of its run. */
export function isFollowUp(e: TimelineEntry): boolean {
  const to = (e.data as { status?: { to?: string } }).status?.to;
  return e.kind === 'status_change' && (to === 'evaluated' || to === 'closed');
}

/** Director's notes (injects only for the coordinator) are the script, not the record. */
export function isDirectorNote(e: TimelineEntry): boolean {
  const recipients = (e.data as { inject?: { recipients?: string[] } }).inject?.recipients;
  return e.kind === 'inject' && recipients !== undefined && recipients.length > 0 && recipients.every((r) => r === 'coordinator');
}

/**
 * The drill record (应急演练记录) in exactly the structure of the seed template
 * (shared/seed/drill-record-template.zh.md), filled from the drill, its organisation and its timeline.
 * Throws NotFound.
 */
export async function buildDrillRecord(ctx: ServiceContext, drillId: string, lang: ReportLang): Promise<DocumentModel> {
  const t = T[lang];
  const [drill, timeline, allGroups] = await Promise.all([getDrill(ctx, drillId), getDrillTimeline(ctx, drillId), listGroups(ctx, 'false')]);
  const people = await getPeopleByIds(
    ctx.db,
    drill.participants.map((p) => p.personId),
  );
  const participantIds = new Set(drill.participants.map((p) => p.personId));
  const when = drill.startedAt ?? drill.scheduledStart;
  const date = when ? shanghaiDate(when, lang) : t.none;

  // 二、组织机构: the working groups with someone taking part in the drill; all groups if the drill names
  // nobody; otherwise the participants themselves.
  const involved = (g: Group) => [g.leader, ...g.members].some((m) => m && participantIds.has(m.personId));
  const groups = participantIds.size === 0 ? allGroups : allGroups.filter(involved);
  const organisation: Block[] = [];
  if (groups.length > 0) {
    for (const g of groups) {
      organisation.push({ type: 'paragraph', text: g.name });
      organisation.push({
        type: 'kv',
        rows: [
          [t.leader, orNone(g.leader?.name, t)],
          [t.members, g.members.length ? g.members.map((m) => m.name).join(t.sep) : t.none],
        ],
      });
      organisation.push({ type: 'paragraph', label: t.duties, text: orNone(g.duties, t) });
    }
  } else {
    const coordinators = drill.participants.filter((p) => p.role === 'coordinator');
    const others = drill.participants.filter((p) => p.role !== 'coordinator');
    organisation.push({ type: 'paragraph', text: t.fallbackGroup });
    organisation.push({
      type: 'kv',
      rows: [
        [t.leader, coordinators.length ? coordinators.map((p) => p.name).join(t.sep) : t.none],
        [t.members, others.length ? others.map((p) => p.name).join(t.sep) : t.none],
      ],
    });
    const duties = drill.participants.filter((p) => p.duty.trim()).map((p) => `${p.name}${t.colon}${p.duty}`);
    organisation.push({ type: 'paragraph', label: t.duties, text: duties.length ? duties.join(lang === 'zh-CN' ? ';' : '; ') : t.none });
  }

  const participantsText = drill.participants.length
    ? drill.participants
        .map((p) => {
          const title = people.find((x) => x.id === p.personId)?.title;
          return title ? `${p.name}(${title})` : p.name;
        })
        .join(t.sep)
    : t.none;
  const timeText = when ? (lang === 'zh-CN' ? `${date}${morningOrAfternoon(when)}${shanghaiTime(when)}` : `${date}, ${shanghaiTime(when)}`) : t.none;

  const record = timeline.entries.filter((e) => e.correctedBy === null && !isDirectorNote(e) && !isFollowUp(e)).map((e) => recordItem(e, lang));

  const title = lang === 'zh-CN' ? `${EXERCISE_MARK[lang]}${drill.title}${drill.title.endsWith('记录') ? '' : t.recordSuffix}` : `${EXERCISE_MARK[lang]} ${drill.title}${t.recordSuffix}`;
  return {
    lang,
    title,
    header: await reportHeader(ctx, lang, true, drill.title),
    blocks: [
      { type: 'paragraph', text: t.preamble },
      { type: 'heading', level: 1, text: t.h1 },
      { type: 'paragraph', text: orNone(drill.guidingPrinciple, t) },
      { type: 'heading', level: 1, text: t.h2 },
      ...organisation,
      { type: 'heading', level: 1, text: t.h3 },
      { type: 'paragraph', label: t.planTime, text: t.heldOn(date, drill.participants.length) },
      { type: 'paragraph', label: t.planContent, text: orNone(drill.content, t) },
      { type: 'paragraph', label: t.planPurpose, text: orNone(drill.purpose, t) },
      { type: 'heading', level: 1, text: t.h4 },
      { type: 'heading', level: 2, text: t.h41 },
      {
        type: 'list',
        ordered: true,
        items: [
          { text: `${t.time}${timeText}` },
          { text: `${t.place}${orNone(drill.place, t)}` },
          { text: `${t.mode}${t.modes[drill.mode] ?? drill.mode}` },
          { text: `${t.participants}${participantsText}` },
        ],
      },
      { type: 'heading', level: 2, text: t.h42 },
      { type: 'list', ordered: true, items: record },
      { type: 'signature', lines: t.signature },
    ],
  };
}
