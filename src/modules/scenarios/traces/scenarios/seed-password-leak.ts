/**
 * The seed scenario (seed-password-leak.yaml): a leaked root password, a root SSH login from a new address the
 * night before the drill (23:31, no failures first), root at the MySQL prompt rebinding three agents' WeChat
 * accounts and raising their commission balances, then seven withdrawals through the mini-program between 23:50
 * and 08:45, paid out automatically two minutes later (48,600 yuan, 3 payees). Around it: five working days of
 * the shop's normal life, cron, the nightly backup, and the internet's password guessers.
 */
import {
  between,
  broadbandIp,
  clockTime,
  CONSUMER_HOURS,
  cronJobs,
  daysBetween,
  mobileIp,
  publicIp,
  sshBruteForce,
  sshScanners,
  timeOfDay,
  UBUNTU_CRON,
  webCrawlers,
  webScanners,
  type Day,
} from '../background.js';
import { HOUR, MINUTE } from '../clock.js';
import type { ScenarioContext, ScenarioGenerator, ScenarioTraces } from '../scenario.js';
import { Shop, type Agent, type Client, type Customer, type Staff } from '../shop.js';
import type { TruthStep } from '../types.js';
import { JsonLog } from '../writers/jsonl.js';
import { LinuxHost } from '../writers/linux.js';
import { mysqlBanner, mysqlClientOpen, mysqldump, MysqlServer } from '../writers/mysql.js';
import { NginxLog, USER_AGENTS } from '../writers/web.js';
import { WechatPayMerchant } from '../writers/wechatpay.js';

const SECOND = 1000;
const HOST = 'app-server';
const VICTIM_AGENT_IDS = [1027, 1033, 1090];
/** Each victim agent's balance is raised by this much and all of it is withdrawn: 3 × 16,200 = 48,600 yuan. */
const RAISE_FEN = 1_620_000;

const FINANCE: Staff[] = [
  { account: 'cw_wangfang', adminId: 3, role: 'finance' },
  { account: 'cw_liuna', adminId: 4, role: 'finance' },
  { account: 'cw_zhaolei', adminId: 7, role: 'finance' },
];
const SERVICE: Staff[] = [
  { account: 'kf_chenjing', adminId: 5, role: 'service' },
  { account: 'kf_sunli', adminId: 9, role: 'service' },
];
const ADMINS: Staff[] = [
  { account: 'admin', adminId: 1, role: 'admin' },
  { account: 'zhengyuru', adminId: 2, role: 'admin' },
];

const DB_TABLES = ['admin_log', 'admin_user', 'agent', 'agent_commission', 'agent_wallet', 'cart', 'goods', 'goods_sku', 'member', 'order_item', 'orders', 'refund_record', 'withdraw_record'];

/** Splits `total` (fen) into `parts` amounts, each a multiple of 100 yuan between min and max yuan. */
function splitAmount(rng: ScenarioContext['rng'], totalFen: number, parts: number, minYuan: number, maxYuan: number): number[] {
  const units = totalFen / 10_000; // hundreds of yuan
  const lo = minYuan / 100;
  const hi = maxYuan / 100;
  for (;;) {
    const out: number[] = [];
    let left = units;
    for (let i = parts; i > 1; i--) {
      const min = Math.max(lo, left - hi * (i - 1));
      const max = Math.min(hi, left - lo * (i - 1));
      const v = rng.int(min, max);
      out.push(v);
      left -= v;
    }
    out.push(left);
    if (out.every((v) => v >= lo && v <= hi)) return out.map((v) => v * 10_000);
  }
}

function generate(ctx: ScenarioContext): ScenarioTraces {
  const { b, zone, rng, start, coverage, scale } = ctx;
  const bg = rng.stream('background');
  const atk = rng.stream('attack');
  const drillDay = zone.dayStart(start);
  const days = daysBetween(zone, coverage.from, coverage.to, drillDay);

  // --- files ---------------------------------------------------------------------------------------------
  const authLog = b.file({
    name: 'auth.log',
    parser: 'auth',
    host: HOST,
    description: { 'zh-CN': '业务云服务器的登录与权限日志（/var/log/auth.log）', en: 'Login and privilege log of the business cloud server (/var/log/auth.log)' },
  });
  const syslog = b.file({
    name: 'syslog',
    parser: 'syslog',
    host: HOST,
    description: { 'zh-CN': '业务云服务器的系统日志（/var/log/syslog，含计划任务）', en: 'System log of the business cloud server (/var/log/syslog, with cron)' },
  });
  const accessLog = b.file({
    name: 'access.log',
    parser: 'nginx',
    host: HOST,
    description: { 'zh-CN': 'nginx 访问日志：业务后台与小程序接口', en: 'nginx access log: back office and mini-program API' },
  });
  const mysqlLog = b.file({
    name: 'mysql-general.log',
    parser: 'mysql',
    host: HOST,
    description: { 'zh-CN': 'MySQL 通用查询日志（general log）', en: 'MySQL general query log' },
    preamble: mysqlBanner('5.7.29-0ubuntu0.18.04.1 ((Ubuntu))', '/var/run/mysqld/mysqld.sock'),
  });
  const opFile = b.file({
    name: 'operation.jsonl',
    parser: 'jsonl',
    host: HOST,
    description: { 'zh-CN': '业务后台操作日志（登录、提现、退款、管理操作）', en: 'Back-office operation log (logins, withdrawals, refunds, admin actions)' },
  });

  const linux = new LinuxHost(HOST, zone, bg.stream('linux'), authLog, syslog);
  const nginx = new NginxLog(accessLog, zone);
  const mysql = new MysqlServer(mysqlLog, bg.stream('mysql'), bg.int(40_000, 90_000));
  const oplog = new JsonLog(opFile, zone);
  const mchId = `15${bg.digits(8)}`;
  const pay = new WechatPayMerchant(b, zone, bg.stream('pay'), { appId: `wx${bg.hex(16)}`, mchId, feeRatePercent: 0.6 }, {
    host: 'pay.weixin.qq.com',
    closingBalanceFen: 12_630_000,
    tradeDescription: { 'zh-CN': '微信支付商户平台下载的交易账单', en: 'WeChat Pay trade bill downloaded from the merchant platform' },
    fundDescription: { 'zh-CN': '微信支付商户平台下载的资金账单（含企业付款）', en: 'WeChat Pay fund-flow bill downloaded from the merchant platform (with payouts)' },
  });
  const shop = new Shop(b, zone, bg.stream('shop'), nginx, mysql, oplog, pay, {
    appId: `wx${bg.hex(16)}`,
    openidPrefix: `o3x${bg.alnum(3)}`,
    poolSize: 5,
    firstPoolThread: bg.int(300, 900),
  });

  // --- people and addresses --------------------------------------------------------------------------------
  const officeIps = [broadbandIp(bg), broadbandIp(bg)];
  const ciIp = `47.${bg.pick([96, 97, 98, 99, 100, 101, 102, 110, 111, 112, 114])}.${bg.int(0, 255)}.${bg.int(1, 254)}`;
  const people = bg.stream('people');
  const customers: Customer[] = Array.from({ length: 2400 }, (_, i) => ({ id: 10_001 + i * 3 + people.int(0, 2), openid: shop.openid(people), agentId: people.chance(0.35) ? 1001 + people.int(0, 119) : null }));
  const agents: Agent[] = Array.from({ length: 120 }, (_, i) => ({ id: 1001 + i, account: `agent_${1001 + i}`, openid: shop.openid(people) }));
  const customerClients = new Map<number, Client>();
  const clientOf = (c: Customer): Client => {
    let client = customerClients.get(c.id);
    if (!client) {
      let ip = people.chance(0.6) ? mobileIp(people) : broadbandIp(people);
      while (attackerAddresses.has(ip)) ip = broadbandIp(people);
      client = { ip, userAgent: people.chance(0.45) ? people.pick(USER_AGENTS.wechatIos) : people.pick(USER_AGENTS.wechatAndroid) };
      customerClients.set(c.id, client);
    }
    return client;
  };
  const staffClients = new Map<string, Client>();
  for (const s of [...FINANCE, ...SERVICE, ...ADMINS]) staffClients.set(s.account, Shop.staffClient(people, people.pick(officeIps)));
  const sc = (s: Staff) => staffClients.get(s.account)!;

  // --- attacker (own stream: the same whatever the background volume) -------------------------------------------
  const attackerIp = `103.${atk.int(20, 254)}.${atk.int(0, 255)}.27`;
  const phoneIps = [mobileIp(atk), mobileIp(atk)];
  const phoneUa = atk.pick(USER_AGENTS.wechatAndroid);
  const victims = VICTIM_AGENT_IDS.map((id) => agents.find((a) => a.id === id)!);
  const attackerOpenids = victims.map(() => shop.openid(atk));
  const eve = zone.dayStart(start, -1);

  // --- background ------------------------------------------------------------------------------------------
  const validUsers = ['root', 'deploy', 'shop'];
  // The attacker's addresses never show up in the background by chance.
  const attackerAddresses = new Set([attackerIp, ...phoneIps]);
  sshScanners(b, linux, bg.stream('ssh-scan'), { days, perDay: 22 * scale, validUsers, avoid: attackerAddresses });
  const bruteDay = days[Math.max(0, days.length - 4)];
  const brute = bg.stream('brute');
  sshBruteForce(b, linux, brute, { start: bruteDay.start + brute.int(1, 4) * HOUR, ip: publicIp(brute), user: 'root', connections: Math.round(90 * Math.min(scale, 3)) });
  cronJobs(
    b,
    linux,
    zone,
    [
      ...UBUNTU_CRON,
      { user: 'root', command: '/usr/local/shop/bin/check_alive.sh >/dev/null 2>&1', minutes: [0, 10, 20, 30, 40, 50] },
      { user: 'root', command: '/usr/local/shop/bin/db_backup.sh >> /var/log/db_backup.log 2>&1', daily: '02:30:01', durationMs: 95 * SECOND },
    ],
    { days, from: coverage.from, to: coverage.to },
  );
  systemNoise(ctx, linux, days, bg.stream('system'));
  webScanners(b, nginx, bg.stream('web-scan'), { days, perDay: 25 * scale, avoid: attackerAddresses });
  webCrawlers(b, nginx, bg.stream('crawl'), { days, perDay: 30 * scale, paths: ['/', '/robots.txt', '/about.html', '/news/index.html', '/favicon.ico'] });

  const life = bg.stream('life');
  for (const day of days) {
    // The nightly backup (cron at 02:30) dumps the whole shop database as `backup`.
    const backupAt = clockTime(zone, day.start, '02:30:03');
    b.at(backupAt, () => mysqldump(mysql, backupAt, { user: 'backup', db: 'shop', tables: DB_TABLES, consistent: true, msPerTable: (t) => (t === 'orders' || t === 'member' ? 9000 : 600) }));

    // Customers and agents in the mini-program.
    const visits = life.poisson(140 * scale * (day.workday ? 1 : 1.2));
    for (let i = 0; i < visits; i++) {
      const t = timeOfDay(life, day, CONSUMER_HOURS);
      const customer = life.pick(customers);
      b.at(t, () => shop.customerVisit(t, customer, clientOf(customer), 0.11));
    }
    const agentVisits = life.poisson(14 * scale);
    for (let i = 0; i < agentVisits; i++) {
      const t = timeOfDay(life, day, CONSUMER_HOURS);
      const agent = life.pick(agents.filter((a) => !VICTIM_AGENT_IDS.includes(a.id) || t < eve));
      let ip = life.chance(0.7) ? mobileIp(life) : broadbandIp(life);
      while (attackerAddresses.has(ip)) ip = broadbandIp(life);
      const client = { ip, userAgent: life.pick(USER_AGENTS.wechatAndroid) };
      b.at(t, () => shop.agentBrowse(t, agent, client));
    }

    if (day.workday) officeDay(ctx, day, shop, linux, mysql, life, { officeIps, ciIp, agents, sc, isDrillDay: day.start === drillDay });
  }

  // --- the attack -------------------------------------------------------------------------------------------
  const steps: TruthStep[] = [];
  const loginAt = clockTime(zone, eve, `23:31:${String(atk.int(2, 58)).padStart(2, '0')}`);
  const sessionEnd = loginAt + (ctx.includeOptionalSteps ? 70 : 36) * MINUTE + atk.int(0, 300) * SECOND;
  b.at(loginAt, () => linux.sshLogin(loginAt, { user: 'root', ip: attackerIp, method: 'password', durationMs: sessionEnd - loginAt, step: 'illegal-login', port: 51544 }));
  steps.push({
    key: 'illegal-login',
    title: { 'zh-CN': '非法登录：root 口令一次登录成功', en: 'Illegal login: root password accepted at the first try' },
    description: {
      'zh-CN': `前一天 ${zone.plain(loginAt).slice(11)}，来自从未出现过的地址 ${attackerIp} 的 root SSH 口令登录成功，此前没有任何失败记录，说明对方本就知道口令。`,
      en: `At ${zone.plain(loginAt).slice(11)} the night before, a root SSH password login from ${attackerIp}, an address never seen before, succeeded with no failed attempt first: the attacker already knew the password.`,
    },
    time: loginAt,
    host: HOST,
    user: 'root',
    srcIp: attackerIp,
    ruleNames: ['ssh_root_password_login', 'ssh_new_source_ip_admin', 'admin_login_off_hours'],
    match: { type: ['auth.success'], user: 'root', srcIp: attackerIp },
  });

  // Root at the mysql prompt: look around, rebind the victims' WeChat accounts, raise their balances.
  // "from 23:36" in the log excerpt the scenario's inject shows.
  const dbAt = clockTime(zone, eve, `23:36:${String(atk.int(2, 40)).padStart(2, '0')}`) + atk.int(0, 999);
  b.at(dbAt, () => {
    const s = 'balance-tampering';
    const { id, at: opened } = mysqlClientOpen(mysql, dbAt, { user: 'root', host: 'localhost', via: 'Socket', db: 'shop', step: s });
    let at = opened;
    const q = (sql: string, thinkSeconds: [number, number]) => {
      at += atk.int(thinkSeconds[0], thinkSeconds[1]) * SECOND + atk.int(0, 999);
      mysql.query(at, id, sql, s);
    };
    q('desc agent', [8, 20]);
    q('desc agent_wallet', [5, 15]);
    q('select * from agent limit 20', [10, 30]);
    q('select a.id,a.account,a.real_name,a.openid,w.balance,w.total_withdraw from agent a join agent_wallet w on w.agent_id=a.id where a.status=1 order by w.total_withdraw desc limit 50', [20, 60]);
    victims.forEach((v, i) => q(`update agent set openid='${attackerOpenids[i]}' where id=${v.id}`, [15, 40]));
    q(`update agent_wallet set balance=balance+${(RAISE_FEN / 100).toFixed(0)} where agent_id in (${VICTIM_AGENT_IDS.join(',')})`, [20, 50]);
    q(`select agent_id,balance,frozen from agent_wallet where agent_id in (${VICTIM_AGENT_IDS.join(',')})`, [3, 10]);
    mysql.quit(at + atk.int(30, 90) * SECOND, id, s);
  });
  steps.push({
    key: 'balance-tampering',
    title: { 'zh-CN': '数据库中代理商佣金余额被篡改', en: 'Agent commission balances tampered with in the database' },
    description: {
      'zh-CN': `root 在服务器本机登录 MySQL（root@localhost），查看代理商表后，把代理商 ${VICTIM_AGENT_IDS.join('、')} 绑定的微信改为陌生 openid，并把它们的 agent_wallet 余额各加 ${RAISE_FEN / 100} 元，没有任何业务单据。`,
      en: `root opened MySQL on the server itself (root@localhost), read the agent tables, rebound agents ${VICTIM_AGENT_IDS.join(', ')} to unknown WeChat openids and added ${RAISE_FEN / 100} yuan to each one's agent_wallet balance, with no business record behind it.`,
    },
    time: dbAt,
    endTime: dbAt + 8 * MINUTE,
    host: HOST,
    user: 'root',
    ruleNames: ['db_balance_tampering'],
    match: { type: ['db.connect', 'db.query'], user: 'root' },
  });

  // Seven withdrawals through the mini-program, paid out automatically about two minutes later.
  const schedule: Array<[string, number]> = [
    ['23:50', 0],
    ['23:56', 1],
    ['00:03', 2],
    ['00:11', 0],
    ['07:58', 1],
    ['08:31', 2],
    ['08:45', 0],
  ];
  const perVictim = victims.map((_, i) => splitAmount(atk, RAISE_FEN, schedule.filter(([, v]) => v === i).length, 4000, 9900));
  const withdrawals: Array<{ t: number; victim: number; fen: number }> = [];
  for (const [hhmm, v] of schedule) {
    const dayStart = hhmm < '12:00' ? drillDay : eve;
    const jitter = hhmm === '23:50' || hhmm === '08:45' ? 0 : atk.int(-1, 1);
    const [h, m] = hhmm.split(':').map(Number);
    const t = clockTime(zone, dayStart, `${h}:${m}:00`) + jitter * MINUTE + atk.int(3, 55) * SECOND;
    withdrawals.push({ t, victim: v, fen: perVictim[v].shift()! });
  }
  // The attacker signs in as each agent (their WeChat now maps to it) once at night and once in the morning.
  const signedIn = new Set<string>();
  for (const w of withdrawals) {
    const agent: Agent = { ...victims[w.victim], openid: attackerOpenids[w.victim] };
    const night = w.t < drillDay + 6 * HOUR;
    const client: Client = { ip: night ? phoneIps[0] : phoneIps[1], userAgent: phoneUa };
    const session = `${w.victim}/${night}`;
    if (!signedIn.has(session)) {
      signedIn.add(session);
      const at = w.t - atk.int(40, 150) * SECOND;
      b.at(at, () => shop.agentLogin(at, agent, client, 'payout-path'));
    }
    b.at(w.t, () => shop.agentWithdraw(w.t, agent, client, w.fen, 'payout-path'));
  }
  const firstWithdraw = withdrawals[0].t;
  const lastWithdraw = withdrawals[withdrawals.length - 1].t;
  steps.push({
    key: 'payout-path',
    title: { 'zh-CN': '资金经移动端提现、商户平台自动打款转出', en: 'Money left through mobile withdrawal and automatic merchant payouts' },
    description: {
      'zh-CN': `${zone.plain(firstWithdraw).slice(11, 16)} 至 ${zone.plain(lastWithdraw).slice(11, 16)}，代理商 ${victims.map((v) => v.account).join('、')} 在小程序（移动网络 ${phoneIps.join('、')}）共发起 7 笔提现，自动审核通过，约 2 分钟后由后台调用微信支付企业付款打到 3 个陌生微信号，合计 48,600 元；没有一笔是财务人员操作的。`,
      en: `Between ${zone.plain(firstWithdraw).slice(11, 16)} and ${zone.plain(lastWithdraw).slice(11, 16)}, agents ${victims.map((v) => v.account).join(', ')} made 7 withdrawals in the mini-program (mobile addresses ${phoneIps.join(', ')}), auto-approved and paid about 2 minutes later by the back office through WeChat Pay payouts to 3 unknown WeChat accounts, 48,600 yuan in total; finance staff made none of them.`,
    },
    time: firstWithdraw - 3 * MINUTE,
    endTime: lastWithdraw + 3 * MINUTE,
    host: HOST,
    ruleNames: ['payment_by_non_finance'],
    match: { user: [...victims.map((v) => v.account), ...attackerOpenids] },
    also: [
      // The mini-program requests from the attacker's phones (nginx has no user).
      { type: ['http.request'], srcIp: phoneIps },
      // The payouts in the fund-flow bill, submitted through the API (no finance operator at night).
      { user: `${mchId}API` },
    ],
  });

  if (ctx.includeOptionalSteps) {
    const dumpAt = clockTime(zone, drillDay, `00:${String(atk.int(21, 27))}:${String(atk.int(10, 50))}`);
    b.at(dumpAt, () => mysqldump(mysql, dumpAt, { user: 'root', db: 'shop', tables: ['member'], consistent: false, msPerTable: () => 11_000, step: 'customer-export' }));
    steps.push({
      key: 'customer-export',
      title: { 'zh-CN': '会员表被整表导出', en: 'The whole member table exported' },
      description: {
        'zh-CN': '攻击者在同一 SSH 会话中用 mysqldump 以 root 导出了整张会员表（member），涉及客户个人信息。',
        en: 'In the same SSH session the attacker used mysqldump as root to export the whole member table, customers\u2019 personal information.',
      },
      time: dumpAt,
      endTime: dumpAt + MINUTE,
      host: HOST,
      user: 'root',
      ruleNames: ['db_mass_export'],
      match: { type: ['db.connect', 'db.query'], user: 'root' },
    });
  }

  return {
    steps,
    placeholders: {
      admin_accounts: ['root', 'deploy', ...ADMINS.map((a) => a.account)],
      finance_accounts: FINANCE.map((f) => f.account),
      app_db_accounts: ['shop_app', 'backup'],
      backup_accounts: ['backup'],
    },
  };
}

/** One working day at the office: back-office staff, R&D at the server, a deployment now and then. */
function officeDay(
  ctx: ScenarioContext,
  day: Day,
  shop: Shop,
  linux: LinuxHost,
  mysql: MysqlServer,
  rng: ScenarioContext['rng'],
  o: { officeIps: string[]; ciIp: string; agents: Agent[]; sc: (s: Staff) => Client; isDrillDay: boolean },
): void {
  const { b } = ctx;
  // Finance and customer service work in the back office all day.
  for (const s of [...FINANCE, ...SERVICE]) {
    if (!o.isDrillDay && rng.chance(0.06)) continue; // a day off
    const c = o.sc(s);
    const login = s.role === 'finance' ? between(rng, day, '08:35', '09:10') : between(rng, day, '08:50', '09:30');
    b.at(login, () => shop.staffLogin(login, s, c));
    const views = rng.int(6, 16);
    for (let i = 0; i < views; i++) {
      const t = between(rng, day, '09:15', '17:50');
      const what = s.role === 'finance' ? rng.pick(['order', 'withdraw', 'withdraw', 'agent'] as const) : rng.pick(['order', 'order', 'member'] as const);
      b.at(t, () => shop.staffBrowse(t, c, what));
    }
    if (rng.chance(0.6)) {
      const out = between(rng, day, '17:35', '18:20');
      b.at(out, () => shop.staffLogout(out, s, c));
    }
  }
  if (o.isDrillDay) {
    // The morning of the drill: finance checks the withdrawal records before the call at 09:15.
    const look = between(rng, day, '09:05', '09:12');
    b.at(look, () => shop.staffBrowse(look, o.sc(FINANCE[1]), 'withdraw'));
    return;
  }
  const exportAt = between(rng, day, '16:30', '17:30');
  b.at(exportAt, () => shop.exportOrders(exportAt, FINANCE[0], o.sc(FINANCE[0])));
  for (let i = rng.int(0, 2); i > 0; i--) {
    const t = between(rng, day, '10:00', '17:00');
    const f = rng.pick(FINANCE);
    const agent = rng.pick(o.agents);
    const fen = rng.int(5, 60) * 10_000 + rng.pick([0, 5000]);
    b.at(t, () => shop.financeWithdraw(t, f, o.sc(f), agent, fen));
  }
  for (let i = rng.int(1, 3); i > 0; i--) {
    const t = between(rng, day, '09:40', '16:30');
    const kf = rng.pick(SERVICE);
    const f = rng.pick(FINANCE);
    b.at(t, () => shop.refund(t, kf, o.sc(kf), f, o.sc(f)));
  }
  for (const a of ADMINS) {
    if (!rng.chance(0.5)) continue;
    const c = o.sc(a);
    const login = between(rng, day, '09:30', '16:00');
    b.at(login, () => shop.staffLogin(login, a, c));
    for (let i = rng.int(1, 3); i > 0; i--) {
      const t = login + rng.int(2, 40) * MINUTE;
      const agent = rng.pick(o.agents);
      b.at(t, () => shop.adminEdit(t, a, c, agent));
    }
  }
  // R&D logs into the server as root with the shared password, from its office line (the first office address,
  // so the admin's usual address is known from the first day of evidence on).
  for (let i = rng.int(1, 3); i > 0; i--) {
    const t = between(rng, day, '09:40', '18:10');
    const ip = o.officeIps[0];
    const duration = rng.int(4, 80) * MINUTE;
    b.at(t, () => {
      linux.sshLogin(t, { user: 'root', ip, method: 'password', durationMs: duration });
      if (rng.chance(0.4)) {
        const { id, at } = mysqlClientOpen(mysql, t + rng.int(1, 10) * MINUTE, { user: 'root', host: 'localhost', via: 'Socket', db: 'shop' });
        let q = at;
        for (const sql of ['select count(*) from orders where status=0', 'select * from orders order by id desc limit 10', 'select id,account,status from agent where status<>1']) {
          q += rng.int(10, 90) * SECOND;
          mysql.query(q, id, sql);
        }
        mysql.quit(q + rng.int(20, 200) * SECOND, id);
      }
    });
  }
  // Deployments from the CI server: key login as deploy, sudo to restart the service.
  if (rng.chance(0.35)) {
    const t = between(rng, day, '14:00', '20:30');
    b.at(t, () => {
      const session = linux.sshLogin(t, { user: 'deploy', ip: o.ciIp, method: 'publickey', durationMs: rng.int(40, 120) * SECOND });
      const restart = t + rng.int(15, 30) * SECOND;
      linux.sudo(restart, { user: 'deploy', tty: session.tty, pwd: '/home/deploy', command: '/bin/systemctl restart shop-api', durationMs: 2 * SECOND });
      linux.sys(restart, 'systemd', 1, 'Stopping Shop API Service...');
      linux.sys(restart + 9 * SECOND, 'systemd', 1, 'Stopped Shop API Service.');
      linux.sys(restart + 9 * SECOND, 'systemd', 1, 'Started Shop API Service.');
      shop.restart(restart + 2 * SECOND);
    });
  }
}

/** A few systemd and rsyslog lines a day, as an Ubuntu server writes them. */
function systemNoise(ctx: ScenarioContext, linux: LinuxHost, days: Day[], rng: ScenarioContext['rng']): void {
  const { b, zone } = ctx;
  for (const day of days) {
    const rotate = clockTime(zone, day.start, '06:25:04');
    b.at(rotate, () => linux.sys(rotate, 'rsyslogd', null, `[origin software="rsyslogd" swVersion="8.32.0" x-pid="${linux.rsyslogd}" x-info="http://www.rsyslog.com"] rsyslogd was HUPed`));
    const apt = clockTime(zone, day.start, `06:${rng.int(10, 50)}:${String(rng.int(10, 59))}`);
    b.at(apt, () => {
      linux.sys(apt, 'systemd', 1, 'Starting Daily apt upgrade and clean activities...');
      linux.sys(apt + rng.int(2, 9) * SECOND, 'systemd', 1, 'Started Daily apt upgrade and clean activities.');
    });
    const tmp = clockTime(zone, day.start, `${rng.int(10, 20)}:${rng.int(10, 59)}:${rng.int(10, 59)}`);
    b.at(tmp, () => {
      linux.sys(tmp, 'systemd', 1, 'Starting Cleanup of Temporary Directories...');
      linux.sys(tmp + SECOND, 'systemd', 1, 'Started Cleanup of Temporary Directories.');
    });
  }
}

export const seedPasswordLeak: ScenarioGenerator = {
  key: 'seed-password-leak',
  baselineDays: 5,
  evidenceTakenAfterMs: 20 * MINUTE,
  generate,
};
