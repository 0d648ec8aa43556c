/**
 * Phishing → mailbox takeover (phishing-account-takeover.yaml): the hosted mailbox's audit log (exported as JSON
 * Lines) shows a finance specialist's account signing in from foreign VPS addresses from last Wednesday 16:42,
 * 37 web logins interleaved with her own, two hiding inbox rules created right after the first one, and on
 * Tuesday at 11:05 a "salary details" phishing mail sent to 23 colleagues. Background: the company's staff
 * signing in from the office, from phones and from home, now and then mistyping a password.
 */
import { between, broadbandIp, clockTime, daysBetween, mobileIp } from '../background.js';
import { MINUTE } from '../clock.js';
import type { ScenarioContext, ScenarioGenerator, ScenarioTraces } from '../scenario.js';
import type { TruthStep } from '../types.js';
import { JsonLog } from '../writers/jsonl.js';

const SECOND = 1000;
const DOMAIN = 'trade.example.cn';
const VICTIM = `zhou.min@${DOMAIN}`;
const FOREIGN_LOGINS = 37;
const COLLEAGUES = ['li.na', 'wang.jun', 'zhang.wei', 'liu.yang', 'chen.jing', 'yang.fan', 'zhao.lei', 'huang.li', 'wu.hao', 'xu.ting', 'sun.qiang', 'ma.lin', 'zhu.hong', 'hu.bin', 'guo.xin', 'he.jie', 'lin.ping', 'luo.yi', 'gao.peng', 'zheng.yu', 'liang.kai', 'xie.wen', 'song.tao', 'tang.yan', 'han.mei', 'feng.chao', 'deng.hui', 'cao.rui'];

function generate(ctx: ScenarioContext): ScenarioTraces {
  const { b, zone, rng, start, coverage, scale } = ctx;
  const bg = rng.stream('background');
  const atk = rng.stream('attack');
  const drillDay = zone.dayStart(start);
  const days = daysBetween(zone, coverage.from, coverage.to, drillDay);
  const log = new JsonLog(
    b.file({ name: 'mailbox-audit.jsonl', parser: 'jsonl', host: `mail.${DOMAIN}`, description: { 'zh-CN': '企业邮箱管理后台导出的登录与操作日志', en: 'Login and activity log exported from the hosted mailbox admin console' } }),
    zone,
  );
  const officeIp = broadbandIp(bg);
  const people = [VICTIM, ...COLLEAGUES.map((c) => `${c}@${DOMAIN}`)];
  const homes = new Map(people.map((p) => [p, broadbandIp(bg)]));
  const phones = new Map(people.map((p) => [p, mobileIp(bg)]));
  const life = bg.stream('life');
  const login = (t: number, user: string, ip: string, client: string, location: string, result = 'success', step?: string) =>
    log.write(t, { user, ip, action: 'login', client, location, result }, step);

  for (const day of days) {
    for (const p of people) {
      if (day.workday && life.chance(0.93)) {
        const t = between(life, day, '08:40', '09:40');
        b.at(t, () => {
          if (life.chance(0.04)) login(t - life.int(5, 30) * SECOND, p, officeIp, 'web', '浙江省宁波市', 'failure');
          login(t, p, officeIp, life.chance(0.7) ? 'web' : 'imap', '浙江省宁波市');
        });
        for (let i = life.poisson(1.5 * scale); i > 0; i--) {
          const s = between(life, day, '09:30', '18:30');
          const mail = life.chance(0.5);
          b.at(s, () => log.write(s, { user: p, ip: officeIp, action: mail ? 'send' : 'read', client: 'web', recipients: mail ? life.int(1, 3) : undefined, result: 'success' }));
        }
      }
      if (life.chance(0.35)) {
        const t = between(life, day, '07:30', '22:30');
        b.at(t, () => login(t, p, phones.get(p)!, 'mobile', '浙江省宁波市'));
      }
      if (life.chance(0.15)) {
        const t = between(life, day, '19:30', '23:00');
        b.at(t, () => login(t, p, homes.get(p)!, 'web', '浙江省宁波市'));
      }
    }
  }

  // --- the attack ---------------------------------------------------------------------------------------------
  const steps: TruthStep[] = [];
  const lastWednesday = zone.dayStart(start, -8);
  const tuesday = zone.dayStart(start, -2);
  const vps = [
    { ip: `102.${atk.int(64, 127)}.${atk.int(0, 255)}.${atk.int(2, 250)}`, location: '尼日利亚' },
    { ip: `105.${atk.int(112, 127)}.${atk.int(0, 255)}.${atk.int(2, 250)}`, location: '尼日利亚' },
    { ip: `185.${atk.int(100, 250)}.${atk.int(0, 255)}.${atk.int(2, 250)}`, location: '荷兰' },
    { ip: `45.${atk.int(130, 159)}.${atk.int(0, 255)}.${atk.int(2, 250)}`, location: '荷兰' },
  ];
  const firstAt = clockTime(zone, lastWednesday, `16:42:${atk.int(3, 50)}`);
  const sendAt = clockTime(zone, tuesday, `11:05:${atk.int(3, 50)}`);
  const sendLoginAt = sendAt - atk.int(120, 300) * SECOND;
  const sendVps = vps[2];
  // 37 foreign logins: the first, 35 spread until yesterday evening, and the one before Tuesday's mailing.
  const logins: Array<{ t: number; v: (typeof vps)[number] }> = [{ t: firstAt, v: vps[0] }, { t: sendLoginAt, v: sendVps }];
  const span = start - 14 * 60 * MINUTE - firstAt;
  for (let i = 1; i < FOREIGN_LOGINS - 1; i++) logins.push({ t: firstAt + Math.round(((i + atk.float() * 0.8) / (FOREIGN_LOGINS - 1)) * span), v: atk.pick(vps) });
  logins.sort((a, b) => a.t - b.t);
  const usedIps = new Set<string>();
  for (const { t, v } of logins) {
    usedIps.add(v.ip);
    b.at(t, () => login(t, VICTIM, v.ip, 'web', v.location, 'success', 'credential-phish'));
  }
  steps.push({
    key: 'credential-phish',
    title: { 'zh-CN': '财务专员邮箱被境外 IP 登录', en: "The finance specialist's mailbox used from abroad" },
    description: {
      'zh-CN': `自上周三 ${zone.plain(firstAt).slice(11, 16)} 起，${VICTIM} 被来自尼日利亚、荷兰的 VPS 地址 Web 登录 ${FOREIGN_LOGINS} 次，与本人的登录交替出现；邮箱未开二次验证。`,
      en: `Since ${zone.plain(firstAt).slice(11, 16)} last Wednesday, ${VICTIM} was signed into ${FOREIGN_LOGINS} times over the web from VPS addresses in Nigeria and the Netherlands, in between her own logins; the mailbox had no second factor.`,
    },
    time: firstAt,
    endTime: logins[logins.length - 1].t,
    user: VICTIM,
    srcIp: [...usedIps][0],
    ruleNames: [],
    match: { user: VICTIM, srcIp: [...usedIps] },
  });

  const ruleAt = firstAt + atk.int(4, 9) * MINUTE;
  const ruleIp = vps[0].ip;
  b.at(ruleAt, () => {
    log.write(ruleAt, { user: VICTIM, ip: ruleIp, action: 'rule_create', client: 'web', detail: '主题或正文包含 invoice / payment / 付款 → 转发到 acc.dept@mailbox-x.com', result: 'success' }, 'hiding-rules');
    log.write(ruleAt + atk.int(40, 90) * SECOND, { user: VICTIM, ip: ruleIp, action: 'rule_create', client: 'web', detail: '主题或正文包含 invoice / payment / 付款 → 移动到 RSS Feeds，标记为已读', result: 'success' }, 'hiding-rules');
  });
  steps.push({
    key: 'hiding-rules',
    title: { 'zh-CN': '攻击者设置隐藏收信规则', en: 'The attacker set hiding inbox rules' },
    description: {
      'zh-CN': '首次异地登录后几分钟内新建两条规则：含付款关键词的邮件转发到外部地址，并移入 RSS Feeds 标为已读。',
      en: 'Minutes after the first foreign login two rules were created: mail with payment keywords is forwarded outside and moved to RSS Feeds, marked read.',
    },
    time: ruleAt,
    endTime: ruleAt + 2 * MINUTE,
    user: VICTIM,
    srcIp: ruleIp,
    ruleNames: [],
    match: { user: VICTIM, srcIp: ruleIp },
    toleranceMs: 5 * MINUTE,
  });

  const sendIp = sendVps.ip;
  b.at(sendAt, () =>
    log.write(sendAt, { user: VICTIM, ip: sendIp, action: 'send', client: 'web', subject: '2025年调薪明细（请登录查看）', recipients: 23, result: 'success' }, 'further-phishing'),
  );
  steps.push({
    key: 'further-phishing',
    title: { 'zh-CN': '用被盗邮箱向同事群发钓鱼邮件', en: 'Phishing mail sent to colleagues from the stolen mailbox' },
    description: {
      'zh-CN': `周二 ${zone.plain(sendAt).slice(11, 16)}，从境外地址 ${sendIp} 登录后向 23 个内部地址发送“调薪明细”钓鱼邮件。`,
      en: `On Tuesday at ${zone.plain(sendAt).slice(11, 16)}, after a login from ${sendIp} abroad, a "salary details" phishing mail went to 23 internal addresses.`,
    },
    time: sendLoginAt,
    endTime: sendAt,
    user: VICTIM,
    srcIp: sendIp,
    ruleNames: [],
    match: { user: VICTIM, srcIp: sendIp },
    toleranceMs: 5 * MINUTE,
  });

  return { steps, placeholders: { admin_accounts: [`postmaster@${DOMAIN}`], finance_accounts: [VICTIM, `li.na@${DOMAIN}`], app_db_accounts: [] } };
}

export const phishingAccountTakeover: ScenarioGenerator = {
  key: 'phishing-account-takeover',
  baselineDays: 12,
  evidenceTakenAfterMs: 40 * MINUTE,
  generate,
};
