/**
 * Insider misuse (insider-misuse.yaml): the ERP's audit log (JSON Lines) and the nginx log in front of it. A
 * month of sales staff working their own regions, exporting now and then; in the last 14 days the departing
 * South China sales manager s.zhang exports the whole company's customer files 23 times and past quotes 9 times,
 * 26 of them after 21:00, each covering all regions (5,812 customers).
 */
import { between, daysBetween } from '../background.js';
import { DAY, MINUTE } from '../clock.js';
import type { ScenarioContext, ScenarioGenerator, ScenarioTraces } from '../scenario.js';
import type { TruthStep } from '../types.js';
import { JsonLog } from '../writers/jsonl.js';
import { NginxLog, USER_AGENTS } from '../writers/web.js';

const HOST = 'erp';
const INSIDER = 's.zhang';
const CUSTOMERS_ALL = 5812;
const SALES = [
  { user: 'l.wang', region: '华东' },
  { user: 'm.chen', region: '华东' },
  { user: 'j.li', region: '华北' },
  { user: 'y.zhao', region: '华北' },
  { user: 'q.sun', region: '华南' },
  { user: INSIDER, region: '华南' },
  { user: 'h.zhou', region: '西南' },
  { user: 'f.wu', region: '华中' },
];
const OFFICE = ['finance.gu', 'finance.xu', 'it.admin', 'purchase.he'];

function generate(ctx: ScenarioContext): ScenarioTraces {
  const { b, zone, rng, start, coverage, scale } = ctx;
  const bg = rng.stream('background');
  const atk = rng.stream('attack');
  const drillDay = zone.dayStart(start);
  const days = daysBetween(zone, coverage.from, coverage.to, drillDay);
  const audit = new JsonLog(b.file({ name: 'erp-audit.jsonl', parser: 'jsonl', host: HOST, description: { 'zh-CN': 'ERP 审计日志（登录、查询、导出）', en: 'ERP audit log (logins, views, exports)' } }), zone);
  const nginx = new NginxLog(b.file({ name: 'access.log', parser: 'nginx', host: HOST, description: { 'zh-CN': 'ERP 前端 nginx 访问日志', en: 'nginx access log in front of the ERP' } }), zone);
  const pcs = new Map([...SALES.map((s) => s.user), ...OFFICE].map((u, i) => [u, `10.20.${u === INSIDER ? 17 : 30 + (i % 40)}.${u === INSIDER ? 117 : 100 + i}`]));
  const vpnIps = new Map([...SALES.map((s) => s.user)].map((u, i) => [u, `10.99.0.${20 + i}`]));
  const ua = USER_AGENTS.chromeWin[1];

  const login = (t: number, user: string, ip: string, step?: string) => {
    nginx.request(t, { ip, method: 'POST', path: '/api/auth/login', status: 200, bytes: 512, referrer: 'https://erp.example-ind.cn/login', userAgent: ua }, step);
    audit.write(t, { user, ip, action: 'login', module: 'auth', result: 'success' }, step);
  };
  const exportFile = (t: number, user: string, ip: string, what: 'customer' | 'quote', scope: string, rows: number, step?: string) => {
    const path = what === 'customer' ? `/api/crm/customers/export?scope=${scope === '全部区域' ? 'all' : 'own'}` : `/api/crm/quotes/export?scope=${scope === '全部区域' ? 'all' : 'own'}&years=3`;
    nginx.request(t, { ip, method: 'GET', path, status: 200, bytes: rows * (what === 'customer' ? 410 : 1290), referrer: 'https://erp.example-ind.cn/crm', userAgent: ua }, step);
    audit.write(t, { user, ip, action: 'export', module: 'crm', object: what === 'customer' ? '客户档案' : '历史报价', scope, rows, result: 'success' }, step);
  };

  const life = bg.stream('life');
  for (const day of days) {
    if (!day.workday) continue;
    for (const u of [...SALES.map((s) => s.user), ...OFFICE]) {
      if (life.chance(0.07)) continue;
      const ip = pcs.get(u)!;
      const t = between(life, day, '08:45', '09:30');
      b.at(t, () => login(t, u, ip));
      for (let i = life.poisson(6 * scale); i > 0; i--) {
        const v = between(life, day, '09:30', '18:00');
        const region = SALES.find((s) => s.user === u)?.region ?? '全部区域';
        b.at(v, () => {
          const id = life.int(100_000, 199_999);
          nginx.request(v, { ip, method: 'GET', path: `/api/crm/customers/${id}`, status: 200, bytes: life.int(2000, 9000), referrer: 'https://erp.example-ind.cn/crm', userAgent: ua });
          audit.write(v, { user: u, ip, action: 'view', module: 'crm', object: '客户档案', target: String(id), scope: region, result: 'success' });
        });
      }
      const sales = SALES.find((s) => s.user === u);
      // About one export a month per salesperson, of their own region.
      if (sales && u !== INSIDER && life.chance(0.05)) {
        const e = between(life, day, '10:00', '17:30');
        b.at(e, () => exportFile(e, u, ip, life.chance(0.7) ? 'customer' : 'quote', sales.region, life.int(380, 900)));
      }
      if (sales && u !== INSIDER && life.chance(0.08)) {
        // An evening look from home over the VPN.
        const n = between(life, day, '20:00', '22:30');
        b.at(n, () => login(n, u, vpnIps.get(u)!));
      }
    }
  }

  // --- the insider ----------------------------------------------------------------------------------------------
  const steps: TruthStep[] = [];
  const from = zone.dayStart(start, -14);
  const exports: Array<{ t: number; what: 'customer' | 'quote' }> = [];
  const kinds: Array<'customer' | 'quote'> = atk.shuffle([...Array<'customer'>(23).fill('customer'), ...Array<'quote'>(9).fill('quote')]);
  const nightFlags = atk.shuffle([...Array<boolean>(26).fill(true), ...Array<boolean>(6).fill(false)]);
  for (let i = 0; i < 32; i++) {
    const dayStart = from + Math.floor((i / 32) * 14) * DAY;
    const day = { start: zone.dayStart(dayStart + 12 * 3600_000), weekday: 0, workday: true };
    const t = nightFlags[i] ? between(atk, day, '21:05', '23:40') : between(atk, day, '12:10', '18:30');
    exports.push({ t, what: kinds[i] });
  }
  exports.sort((a, b) => a.t - b.t);
  let lastLoginDay = -1;
  for (const e of exports) {
    const night = zone.local(e.t).hour >= 21;
    const ip = night ? vpnIps.get(INSIDER)! : pcs.get(INSIDER)!;
    const dayKey = zone.dayStart(e.t) + (night ? 1 : 0);
    if (night && dayKey !== lastLoginDay) {
      lastLoginDay = dayKey;
      const l = e.t - atk.int(2, 15) * MINUTE;
      b.at(l, () => login(l, INSIDER, ip, 'bulk-export'));
    }
    const rows = e.what === 'customer' ? CUSTOMERS_ALL : atk.int(14_000, 16_500);
    b.at(e.t, () => exportFile(e.t, INSIDER, ip, e.what, '全部区域', rows, 'bulk-export'));
  }
  steps.push({
    key: 'bulk-export',
    title: { 'zh-CN': '离职销售经理深夜批量导出全部客户档案和报价', en: 'The departing sales manager bulk-exported all customer files and quotes at night' },
    description: {
      'zh-CN': `近 14 天 ${INSIDER} 多在夜里通过 VPN（${vpnIps.get(INSIDER)}）导出“客户档案”23 次、“历史报价”9 次，其中 26 次在 21:00 以后，范围均为“全部区域”（${CUSTOMERS_ALL} 个客户），远超其华南区的职责和以往习惯。`,
      en: `In the last 14 days ${INSIDER}, mostly at night over the VPN (${vpnIps.get(INSIDER)}), exported customer files 23 times and past quotes 9 times, 26 of them after 21:00, each covering all regions (${CUSTOMERS_ALL} customers) — far beyond his South China job and habits.`,
    },
    time: exports[0].t - 15 * MINUTE,
    endTime: exports[exports.length - 1].t,
    user: INSIDER,
    host: HOST,
    ruleNames: [],
    // His VPN address at night: the audit log's and nginx's records of the exports (nginx has no user).
    match: { srcIp: vpnIps.get(INSIDER)! },
  });

  return { steps, placeholders: { admin_accounts: ['it.admin'], finance_accounts: ['finance.gu', 'finance.xu'], app_db_accounts: [] } };
}

export const insiderMisuse: ScenarioGenerator = {
  key: 'insider-misuse',
  baselineDays: 30,
  evidenceTakenAfterMs: 30 * MINUTE,
  generate,
};
