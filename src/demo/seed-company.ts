import { eq } from 'drizzle-orm';
import { ManualClock } from '../clock.js';
import { systemActor, type ServiceContext } from '../context.js';
import type { Db } from '../db/types.js';
import { addDrillEntry, createDrill, deliverDueInjects, transitionDrill } from '../modules/drills/service.js';
import { createGroup, createPerson } from '../modules/org/service.js';
import { emergencyPlans } from '../modules/plans/schema.js';
import { createPlan, publishDraft } from '../modules/plans/service.js';
import { createProgrammeItem } from '../modules/programme/service.js';
import { findScenarioByKey, installLibrary } from '../modules/scenarios/service.js';
import type { AppendEntryBody } from '../modules/timeline/schema.js';

export const DEMO_PLAN_TITLE = '进出口企业信息系统突发事件应急预案';

/** 09:00 on 2020-04-18 in China (UTC+8), the seed drill's start. */
const DRILL_START = Date.parse('2020-04-18T01:00:00Z');
const at = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(DRILL_START + ((h - 9) * 60 + m) * 60_000);
};

const DUTIES =
  '负责信息系统突发事件应急演练的具体工作；对信息系统突发事件应急演练业务影响情况进行分析和评估；收集分析信息系统突发事件应急演练处置过程中的数据信息和记录；向上级部门报告应急演练进展情况和事态发展情况，确保演练工作达到预期目的。并做好后勤保障工作：提供应急演练所需人力和物力等资源保障；其它为降低事件负面影响或损失提供的应急支持保障等。';

const PURPOSE =
  '突发事件应急演练以提高研发部应对突发事件的综合水平和应急处置能力，以防范信息系统风险为目的，建立统一指挥、协调有序的应急管理机制和相关协调机制，以落实和完善应急预案为基础，全面加强信息系统应急管理工作，并制定有效的问责制度。';

export interface DemoSummary {
  loaded: boolean;
  drillId: string | null;
  people: number;
}

/**
 * Loads the company of the seed document (shared/seed/drill-record-template.zh.md): its working group, its
 * emergency plan, and its drill of 2020-04-18 already run and recorded on the timeline, replayed with a
 * clock set to those days so every time is the record's. Does nothing if the demo plan already exists.
 */
export async function loadSeedCompany(db: Db): Promise<DemoSummary> {
  const [existing] = await db.select({ id: emergencyPlans.id }).from(emergencyPlans).where(eq(emergencyPlans.title, DEMO_PLAN_TITLE));
  if (existing) return { loaded: false, drillId: null, people: 0 };

  const clock = new ManualClock('2020-04-01T02:00:00Z');
  const ctx: ServiceContext = { db, clock, actor: systemActor('demo') };
  await installLibrary(ctx);

  const person = (name: string, title: string, department: string) => createPerson(ctx, { name, title, department });
  const zhang = await person('张三', '应急演练工作组组长', '研发部');
  const li = await person('李二', '开发工程师', '研发部');
  const wang = await person('王二麻子', '开发工程师', '研发部');
  const lead = await person('郑玉茹', '研发主管', '研发部');
  const gm = await person('赵总', '总经理', '总经理办公室');
  const finance = await person('钱会计', '财务专员', '财务部');
  await createGroup(ctx, { name: '应急演练工作组', duties: DUTIES, leaderId: zhang.id, memberIds: [li.id, wang.id] });

  const plan = await createPlan(ctx, {
    title: DEMO_PLAN_TITLE,
    content: {
      guidingPrinciple: '以维护我司重要业务系统网络及设备的正常运行为宗旨。按照“预防为主，积极处置”的原则，进一步完善信息安全应急处置机制，提高突发事件的应急处置能力。',
      scope: '公司重要信息系统（业务后台、数据库、微信商户平台及移动端）的突发事件。',
      groupIds: [],
      procedures: [
        {
          key: 'contain',
          title: '止损与控制',
          steps: [
            { key: 'verify', role: 'responder', text: '登录微信商户平台管理员账号，核实异常交易流水' },
            { key: 'empty-balance', role: 'responder', text: '将微信商户平台账号金额清空' },
            { key: 'stop-withdrawal', role: 'responder', text: '关闭移动端微信提现服务和提现服务关闭提醒' },
          ],
        },
        {
          key: 'investigate',
          title: '排查与加固',
          steps: [
            { key: 'scan', role: 'responder', text: '对云服务器进行漏洞扫描，查看防火墙运行状况' },
            { key: 'logs', role: 'responder', text: '查询数据库和操作日志，寻找操作痕迹' },
            { key: 'harden', role: 'responder', text: '按解决方案加固系统' },
          ],
        },
      ],
      escalationRules: [
        { key: 'report-gm', trigger: 'incident_detected', recipient: '总经理', recipientPersonId: gm.id, withinMinutes: 10, channel: 'verbal', requiredFields: ['occurred_at', 'scope', 'trend', 'measures'] },
      ],
      contacts: [{ label: '总经理', personId: gm.id }],
    },
    changeNote: '首版',
  });
  await publishDraft(ctx, plan.id, '首版');

  const seed = await findScenarioByKey(db, 'seed-password-leak');
  clock.set('2020-04-10T02:00:00Z');
  const drill = await createDrill(ctx, {
    title: '进出口企业信息安全应急演练',
    mode: 'simulated',
    scope: 'single_topic',
    language: 'zh-CN',
    planId: plan.id,
    scenarioId: seed?.id,
    scheduledStart: at('09:00').toISOString(),
    place: '研发办公室',
    content: '非法登录服务器和数据库，对信息系统业务进行非法操作',
    purpose: PURPOSE,
    participants: [
      { personId: zhang.id, role: 'coordinator', duty: '组长：指挥演练' },
      { personId: lead.id, role: 'responder', duty: '研发主管：处置与上报' },
      { personId: li.id, role: 'responder', duty: '排查服务器与日志' },
      { personId: wang.id, role: 'responder', duty: '关闭提现服务、加固' },
      { personId: gm.id, role: 'observer', duty: '总经理：听取报告' },
      { personId: finance.id, role: 'responder', duty: '财务：发现并报告异常交易' },
    ],
  });
  await createProgrammeItem(ctx, {
    year: 2020,
    kind: 'drill',
    project: '服务器和数据库非法登录专项应急演练',
    purpose: '检验应急预案，提高研发部应急处置能力；10 分钟内向总经理报告',
    mode: '模拟演练',
    plannedDate: '2020-04-18',
    departments: '研发部、财务部、总经理办公室',
    arrangement: '9:00 开始；9:15 财务来电；处置、上报、排查、加固；结束后总结评估',
    budget: '无',
    drillId: drill.id,
  });
  await transitionDrill(ctx, drill.id, 'approve');

  /** Moves the replay clock minute by minute, so each inject is delivered at its own time. */
  const tick = async (hhmm: string) => {
    const target = at(hhmm).getTime();
    while (clock.now().getTime() < target) {
      clock.set(new Date(Math.min(target, clock.now().getTime() + 60_000)));
      await deliverDueInjects(ctx);
    }
    await deliverDueInjects(ctx);
  };
  const record = async (hhmm: string, body: AppendEntryBody) => {
    await tick(hhmm);
    await addDrillEntry(ctx, drill.id, body);
  };
  clock.set(at('09:00'));
  await transitionDrill(ctx, drill.id, 'start');
  await tick('09:00');
  await tick('09:15');
  await record('09:16', { kind: 'action', text: '研发部接到财务部电话报告后，立即登录微信商户平台管理员账号，发现几笔异常交易流水', data: { checklist: { itemKey: 'contain.verify', done: true } } });
  await record('09:18', { kind: 'action', text: '询问财务部员工，均表示未进行支付操作' });
  await record('09:19', { kind: 'action', text: '迅速将微信商户平台账号金额清空', data: { checklist: { itemKey: 'contain.empty-balance', done: true } } });
  await record('09:20', { kind: 'decision', text: '因涉及信息泄露，启动应急预案', data: { milestone: 'plan_activated' } });
  await record('09:25', {
    kind: 'report',
    text: '研发主管首先以口头方式向总经理报告',
    data: { report: { recipient: '总经理', recipientPersonId: gm.id, channel: 'verbal', ruleKey: 'report-gm', fields: { occurred_at: '9:15 左右发现，前一晚起有非财务人员操作记录', scope: '微信商户平台，几笔异常交易流水', trend: '商户余额已清空，未见继续扩大', measures: '清空商户余额；准备通知财务暂停微信支付、关闭移动端提现' } } },
  });
  await record('09:26', {
    kind: 'notification',
    text: '通知使用财务相关员工，暂停使用微信支付',
    data: { report: { recipient: '使用微信支付的财务人员', channel: 'chat', ruleKey: 'notify-finance', fields: { occurred_at: '今日 9:15 发现', measures: '暂停使用微信支付，等待研发部通知' } } },
  });
  await record('09:28', { kind: 'action', text: '指示系统后台开发人员关闭移动端微信提现服务和微信提现服务关闭提醒', data: { milestone: 'contained', checklist: { itemKey: 'contain.stop-withdrawal', done: true } } });
  await record('09:40', { kind: 'action', text: '研发部所有成员对云服务器进行漏洞扫描，查看防火墙运行状况', data: { checklist: { itemKey: 'investigate.scan', done: true } } });
  await record('10:05', { kind: 'action', text: '对数据库和操作日志进行查询，寻找操作痕迹，分析事故发生的流程', data: { checklist: { itemKey: 'investigate.logs', done: true } } });
  await record('10:20', { kind: 'finding', text: '确认服务器无安全漏洞，防火墙运行正常，明确事件根源为服务端口令泄露' });
  await record('10:30', {
    kind: 'decision',
    text: '解决方案：a) 更换服务器远程登录端口号，修改口令，修改数据库口令；b) 后台管理系统付款模块增加二次验证功能，验证程序存放在另一台服务器中；c) 统一服务器口令管理制度，服务器端口与口令统一由研发主管管理，定期修改，开发人员登录服务器需提交申请',
  });
  await record('10:55', { kind: 'action', text: '研发部根据方案对系统进行加固', data: { milestone: 'recovered', checklist: { itemKey: 'investigate.harden', done: true } } });
  await record('11:00', { kind: 'notification', text: '信息系统应急行动结束，通过微信群进行通告' });
  await tick('11:00');
  await transitionDrill(ctx, drill.id, 'end');
  return { loaded: true, drillId: drill.id, people: 6 };
}
