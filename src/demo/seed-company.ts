import { eq } from 'drizzle-orm';
import { ManualClock } from '../clock.js';
import { systemActor, type ServiceContext } from '../context.js';
import type { Db } from '../db/types.js';
import { createAction, transitionAction } from '../modules/actions/service.js';
import { addLesson, rateObjective } from '../modules/drills/evaluation.js';
import { addDrillEntry, createDrill, deliverDueInjects, transitionDrill } from '../modules/drills/service.js';
import { drillIncident, updateIncident, updateInvestigation } from '../modules/incidents/service.js';
import { createGroup, createPerson, updateCompanyProfile } from '../modules/org/service.js';
import { emergencyPlans } from '../modules/plans/schema.js';
import { createPlan, publishDraft, revisePlan } from '../modules/plans/service.js';
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

const day = (iso: string) => new Date(`${iso}+08:00`);

/**
 * After the drill (the seed's steps 6, 9, 10, 11): the general manager rates the objectives, the team records its
 * lessons, the fixes a, b and c become corrective actions (two verified, one awaiting verification), the plan is
 * revised because of them, the investigation is written up and the drill is marked evaluated.
 */
async function evaluateSeedDrill(ctx: ServiceContext, clock: ManualClock, drillId: string, planId: string, p: Record<'zhang' | 'li' | 'wang' | 'lead' | 'gm', { id: string }>) {
  clock.set(day('2020-04-18T14:00:00'));
  await updateCompanyProfile(ctx, { name: '某进出口贸易有限公司', nameEn: 'Example Import & Export Trading Co., Ltd.', department: '研发部' });
  const gm: ServiceContext = { ...ctx, actor: systemActor('赵总(总经理)') };
  const rate = (key: string, rating: 'met' | 'partly_met' | 'not_met', evidence: string, indicators: { text: string; weight: number; score: number }[]) =>
    rateObjective(gm, drillId, key, { rating, evidence, indicators });
  await rate('contain-loss', 'met', '9:15 来电后 9:16 登录商户平台核实，9:19 清空余额，9:26 通知财务暂停微信支付，9:28 关闭提现', [
    { text: '10 分钟内核实异常流水', weight: 40, score: 100 },
    { text: '止损措施（清空余额、暂停支付、关闭提现）', weight: 60, score: 90 },
  ]);
  await rate('report-gm-10min', 'met', '9:25 研发主管口头报告总经理，事发时间、影响范围、发展趋势、已采取的措施四项齐全', [
    { text: '报告时限（10 分钟）', weight: 50, score: 100 },
    { text: '报告内容完整', weight: 50, score: 100 },
  ]);
  await rate('find-root-cause', 'partly_met', '10:20 得出口令泄露的结论；但未在时间线上记录非法登录的时间、来源 IP 和账号', [
    { text: '排查过程有记录', weight: 40, score: 90 },
    { text: '指出登录时间、来源 IP、账号', weight: 60, score: 50 },
  ]);
  await rate('harden-and-close', 'met', '10:30 制定方案 a/b/c，10:55 完成加固，11:00 微信群通告结束', [{ text: '加固措施落实并指定责任人', weight: 100, score: 85 }]);
  await rate('investigate-and-report-police', 'partly_met', '成立调查组并明确调查内容；向公安机关报案在演练中只做了准备', [{ text: '调查内容完整', weight: 100, score: 70 }]);

  const team: ServiceContext = { ...ctx, actor: systemActor('张三(组长)') };
  const lesson = (kind: 'went_well' | 'to_improve' | 'accountability', text: string) => addLesson(team, drillId, { kind, text });
  await lesson('went_well', '财务部发现异常后立即电话通知研发部，研发部 4 分钟内止损，10 分钟内向总经理口头报告且内容齐全。');
  await lesson('to_improve', '服务器与数据库共用一套口令，多年未更换，且写在共享文档中，开发和外包人员都知道。');
  await lesson('to_improve', '日志排查依赖逐台登录服务器，耗时约 40 分钟；缺少集中的登录日志和告警。');
  await lesson('accountability', '服务器口令管理由研发主管郑玉茹负责；口令外传的责任待调查组查明后按公司制度处理。');

  const action = (title: string, description: string, owner: string, dueDate: string, priority: 'high' | 'medium') =>
    createAction(team, { title, description, drillId, sourceKind: 'finding', ownerPersonId: owner, dueDate, priority });
  const a = await action('a) 更换服务器远程登录端口号，修改服务器口令和数据库口令', '演练记录第 6 步解决方案 a', p.li.id, '2020-04-20', 'high');
  const b = await action('b) 后台管理系统付款模块增加二次验证功能，验证程序存放在另一台服务器中', '演练记录第 6 步解决方案 b', p.wang.id, '2020-05-15', 'high');
  const c = await action('c) 统一服务器口令管理制度：端口与口令由研发主管统一管理、定期修改，登录服务器需申请，不同项目对应不同人员', '演练记录第 6 步解决方案 c', p.lead.id, '2020-04-30', 'medium');
  clock.set(day('2020-04-19T10:00:00'));
  await transitionAction(team, a.id, 'start');
  await transitionAction(team, a.id, 'complete', '远程登录端口已由 22 改为 52022，服务器与数据库口令已更换为 16 位随机口令');
  await transitionAction(team, a.id, 'verify', '张三用旧口令和 22 端口登录均失败；新口令仅研发主管持有');
  clock.set(day('2020-04-28T16:00:00'));
  await transitionAction(team, c.id, 'start');
  await transitionAction(team, c.id, 'complete', '《服务器口令管理制度》已发布，口令登记表由研发主管保管');
  clock.set(day('2020-05-12T15:00:00'));
  await transitionAction(team, b.id, 'start');
  await transitionAction(team, b.id, 'complete', '付款模块上线短信二次验证，验证服务部署在独立服务器');
  await transitionAction(team, b.id, 'verify', '财务部试付款：未输入验证码无法付款；验证服务器与业务服务器账号隔离');

  // Step 9: revise the plan because of the drill and fix c.
  clock.set(day('2020-05-13T10:00:00'));
  await revisePlan(team, planId, [
    { kind: 'drill', refId: drillId, text: '2020-04-18 演练发现：口令泄露场景下缺少日志排查步骤和报案流程' },
    { kind: 'corrective_action', refId: c.id, text: '整改措施 c：服务器口令统一管理制度纳入预案' },
  ]);
  await publishDraft(team, planId, '根据 2020-04-18 演练修订：增加口令管理与报案流程');

  // Step 10: the investigation.
  const incident = await drillIncident(ctx.db, drillId);
  if (incident) {
    await updateIncident(team, incident.id, {
      description: '服务器和数据库口令泄露，攻击者前一晚 23:31 以 root 口令登录服务器，篡改代理商佣金余额后通过移动端提现转走商户平台资金；9:15 财务部发现异常。',
      scope: '微信商户平台（7 笔异常提现，合计 48,600 元）、业务后台数据库（3 个代理商账户余额被篡改）、移动端提现服务（关闭约 1.5 小时）',
      affectedSystems: ['业务云服务器', 'MySQL 数据库', '微信支付商户平台', '小程序提现服务'],
      occurredAt: '2020-04-17T23:31:00+08:00',
      status: 'closed',
      closedAt: '2020-04-18T11:00:00+08:00',
    });
    await updateInvestigation(team, incident.id, {
      investigators: '张三（组长）、郑玉茹、李二、王二麻子',
      consequences: '攻击者通过移动端提现转走商户平台资金若干笔；发现后 4 分钟内清空余额、暂停支付，损失未继续扩大；业务中断约 1.5 小时。',
      rootCause: '服务器与数据库共用一套口令且长期未更换，口令写在共享文档中，导致口令泄露；攻击者以 root 口令登录服务器和数据库后篡改代理商佣金余额。',
      leakSource: '共享文档中保存的服务器口令被外部人员获取（调查组正在核实文档的访问记录）。',
      actors: '非法登录来源 IP 及提现收款微信账号已固定证据，移交公安机关。',
      measuresEffectiveness: '清空余额、暂停微信支付和关闭提现有效阻止了损失扩大；更换端口与口令后旧口令无法登录；付款二次验证已验证有效。',
      lessons: '口令集中管理、定期更换；关键操作必须二次验证；登录日志需要集中留存和告警。',
      preventiveMeasures: '落实整改措施 a、b、c；每季度检查口令管理制度执行情况；建立登录日志集中留存和异常登录告警。',
      reportedTo: '2020-04-18 调查完成后向总经理书面汇报；同日向公安机关报案。',
      conclusion: '本次事件为服务端口令泄露导致的非法登录和资金异常，属于网络攻击事件（口令攻击），事件级别一般（IV 级）。',
    });
  }
  await transitionDrill(team, drillId, 'evaluate');
}

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
  await evaluateSeedDrill(ctx, clock, drill.id, plan.id, { zhang, li, wang, lead, gm });
  return { loaded: true, drillId: drill.id, people: 6 };
}
