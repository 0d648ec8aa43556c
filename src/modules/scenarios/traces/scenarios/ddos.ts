/**
 * DDoS (ddos.yaml): the origin's nginx access log. Three days of normal shop traffic; on sale morning traffic
 * climbs from 09:55, a burst of direct requests from many addresses hits the origin at 10:00, then nothing
 * arrives for an hour (the provider black-holes the origin IP). When protection is switched and the shop is
 * reachable again, an application-layer flood hits /api/search and /api/login from about 1,200 proxies with three
 * User-Agents (scale multiplies it), and login answers turn into 502/504.
 */
import { broadbandIp, CONSUMER_HOURS, daysBetween, mobileIp, publicIp, timeOfDay, webScanners } from '../background.js';
import { MINUTE } from '../clock.js';
import type { ScenarioContext, ScenarioGenerator, ScenarioTraces } from '../scenario.js';
import type { TruthStep } from '../types.js';
import { NginxLog, USER_AGENTS } from '../writers/web.js';

const SECOND = 1000;
const HOST = 'web-origin-01';
const QUERIES = ['%E7%89%9B%E5%A5%B6', '%E5%9D%9A%E6%9E%9C', '%E5%92%96%E5%95%A1', '%E9%9B%B6%E9%A3%9F', '%E5%A4%A7%E7%B1%B3', '%E9%A3%9F%E7%94%A8%E6%B2%B9', 'milk', '%E8%9C%82%E8%9C%9C'];
const FLOOD_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.88 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 12_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'okhttp/3.12.1',
];

function generate(ctx: ScenarioContext): ScenarioTraces {
  const { b, zone, rng, start, coverage, scale } = ctx;
  const bg = rng.stream('background');
  const atk = rng.stream('attack');
  const drillDay = zone.dayStart(start);
  const days = daysBetween(zone, coverage.from, coverage.to, drillDay);
  const nginx = new NginxLog(b.file({ name: 'access.log', parser: 'nginx', host: HOST, description: { 'zh-CN': '源站 nginx 访问日志', en: 'nginx access log of the origin server' } }), zone);
  const saleOpens = start + 5 * MINUTE;
  const blackholeUntil = start + 75 * MINUTE;
  const floodStart = start + 85 * MINUTE;
  const floodEnd = floodStart + 10 * MINUTE;

  const visit = (t: number, ip: string, ua: string) => {
    let at = t;
    const n = bg.int(2, 8);
    for (let k = 0; k < n; k++) {
      if (at > saleOpens && at < blackholeUntil) return;
      const kind = bg.weighted([
        ['page', 4],
        ['search', 3],
        ['login', 1],
        ['cart', 1],
      ] as const);
      if (kind === 'page') nginx.request(at, { ip, method: 'GET', path: bg.pick(['/', '/sale/', `/goods/${bg.int(10_000, 19_999)}.html`, '/category/snacks/']), status: 200, bytes: bg.int(9000, 60_000), userAgent: ua });
      else if (kind === 'search') nginx.request(at, { ip, method: 'GET', path: `/api/search?q=${bg.pick(QUERIES)}&page=${bg.int(1, 3)}`, status: 200, bytes: bg.int(3000, 22_000), referrer: 'https://www.food-shop.example.cn/', userAgent: ua });
      else if (kind === 'login') nginx.request(at, { ip, method: 'POST', path: '/api/login', status: 200, bytes: bg.int(180, 240), referrer: 'https://www.food-shop.example.cn/login', userAgent: ua });
      else nginx.request(at, { ip, method: 'POST', path: '/api/cart/add', status: 200, bytes: 96, referrer: 'https://www.food-shop.example.cn/', userAgent: ua });
      at += bg.int(2, 40) * SECOND;
    }
  };
  const life = bg.stream('life');
  const agents = [...USER_AGENTS.chromeWin, ...USER_AGENTS.macSafari, ...USER_AGENTS.wechatIos, ...USER_AGENTS.wechatAndroid];
  for (const day of days) {
    const busy = day.start === drillDay ? 1.6 : 1;
    for (let i = life.poisson(220 * scale * busy); i > 0; i--) {
      const t = timeOfDay(life, day, CONSUMER_HOURS);
      if (t > coverage.to) continue;
      const ip = life.chance(0.55) ? mobileIp(life) : broadbandIp(life);
      const ua = life.pick(agents);
      b.at(t, () => visit(t, ip, ua));
    }
  }
  // Sale-morning rush from 09:40 until the black hole.
  for (let i = life.poisson(260 * scale); i > 0; i--) {
    const t = start - 15 * MINUTE + life.int(0, 20 * MINUTE);
    const ip = life.chance(0.6) ? mobileIp(life) : broadbandIp(life);
    const ua = life.pick(agents);
    b.at(t, () => visit(t, ip, ua));
  }
  // Users coming back once the shop is reachable again.
  for (let i = life.poisson(200 * scale); i > 0; i--) {
    const t = blackholeUntil + life.int(0, 25 * MINUTE);
    const ip = life.chance(0.6) ? mobileIp(life) : broadbandIp(life);
    const ua = life.pick(agents);
    b.at(t, () => visit(t, ip, ua));
  }
  webScanners(b, nginx, bg.stream('web-scan'), { days, perDay: 25 * scale });

  // --- the attack ---------------------------------------------------------------------------------------------
  const steps: TruthStep[] = [];
  const burst = Math.round(600 * Math.min(scale, 5));
  b.at(saleOpens - 20 * SECOND, () => {
    for (let i = 0; i < burst; i++) {
      const t = saleOpens - 20 * SECOND + atk.int(0, 40 * SECOND);
      nginx.request(t, { ip: publicIp(atk), method: 'GET', path: '/', status: atk.chance(0.7) ? 200 : 499, bytes: atk.int(0, 41_000), userAgent: atk.pick(FLOOD_AGENTS) }, 'volumetric-attack');
    }
  });
  steps.push({
    key: 'volumetric-attack',
    title: { 'zh-CN': '开售瞬间源站被打满并被黑洞', en: 'The origin flooded at opening time and black-holed' },
    description: {
      'zh-CN': '10:00 开售时大量地址直接请求源站，随后源站一小时多没有任何访问记录：源站 IP 被云厂商黑洞。',
      en: 'When the sale opened at 10:00, many addresses hit the origin directly; then the origin logged nothing for over an hour: its IP was black-holed by the provider.',
    },
    time: saleOpens - 20 * SECOND,
    endTime: saleOpens + 20 * SECOND,
    host: HOST,
    ruleNames: [],
    match: { type: ['http.request'] },
    toleranceMs: 30 * SECOND,
  });

  const proxies = Array.from({ length: Math.round(1200 * Math.min(scale, 10)) }, () => publicIp(atk));
  const floodRequests = proxies.length * 6;
  b.at(floodStart, () => {
    for (let i = 0; i < floodRequests; i++) {
      const t = floodStart + atk.int(0, floodEnd - floodStart);
      const ip = proxies[i % proxies.length];
      const ua = FLOOD_AGENTS[i % 3];
      if (atk.chance(0.6)) nginx.request(t, { ip, method: 'GET', path: `/api/search?q=${atk.alnum(atk.int(2, 6))}&page=${atk.int(1, 50)}`, status: atk.chance(0.8) ? 200 : 502, bytes: atk.int(0, 22_000), userAgent: ua }, 'application-layer-shift');
      else nginx.request(t, { ip, method: 'POST', path: '/api/login', status: atk.weighted([[200, 3], [504, 5], [502, 2]] as const), bytes: atk.int(150, 560), userAgent: ua }, 'application-layer-shift');
    }
  });
  steps.push({
    key: 'application-layer-shift',
    title: { 'zh-CN': '攻击转为对搜索和登录接口的 CC 攻击', en: 'The attack moved to a CC flood on the search and login APIs' },
    description: {
      'zh-CN': `恢复访问后，约 ${proxies.length} 个代理地址用 3 种 User-Agent 集中请求 /api/search 和 /api/login，登录接口大量 502/504。`,
      en: `Once the shop was reachable again, about ${proxies.length} proxy addresses with 3 User-Agents hammered /api/search and /api/login; the login API answered with many 502/504.`,
    },
    time: floodStart,
    endTime: floodEnd,
    host: HOST,
    ruleNames: [],
    match: { type: ['http.request'] },
    toleranceMs: 0,
  });

  return { steps, placeholders: { admin_accounts: ['root'], finance_accounts: [], app_db_accounts: [] } };
}

export const ddos: ScenarioGenerator = {
  key: 'ddos',
  baselineDays: 3,
  evidenceTakenAfterMs: 100 * MINUTE,
  generate,
};
