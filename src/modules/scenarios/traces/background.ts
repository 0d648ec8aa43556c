/**
 * Background activity shared by the scenarios: internet scanners against SSH and the web server, cron, and
 * helpers to spread events over days with a realistic daily rhythm.
 */
import type { BundleBuilder } from './bundle.js';
import { DAY, HOUR, MINUTE, type Zone } from './clock.js';
import type { Random } from './random.js';
import type { LinuxHost } from './writers/linux.js';
import { USER_AGENTS, type NginxLog } from './writers/web.js';

const SECOND = 1000;

/** Relative activity per local hour for people using a consumer app (peaks at lunch and in the evening). */
export const CONSUMER_HOURS = [3, 2, 1, 1, 1, 1, 2, 4, 6, 7, 8, 9, 11, 10, 8, 8, 8, 9, 10, 12, 14, 15, 12, 7];
/** Office hours. */
export const OFFICE_HOURS = [0, 0, 0, 0, 0, 0, 0, 0, 3, 10, 10, 9, 4, 5, 10, 10, 9, 8, 3, 1, 0, 0, 0, 0];
/** Internet background radiation: every hour alike. */
export const FLAT_HOURS = Array.from({ length: 24 }, () => 1);

export interface Day {
  /** Local midnight. */
  start: number;
  /** 0 = Sunday */
  weekday: number;
  /** Monday to Friday, or the drill's own day (a working day in every scenario). */
  workday: boolean;
}

/** The local days overlapping [from, to]. */
export function daysBetween(zone: Zone, from: number, to: number, drillDayStart: number): Day[] {
  const days: Day[] = [];
  for (let d = zone.dayStart(from); d <= to; d = zone.dayStart(d + DAY + 2 * HOUR)) {
    const weekday = zone.local(d + 12 * HOUR).weekday;
    days.push({ start: d, weekday, workday: (weekday >= 1 && weekday <= 5) || d === drillDayStart });
  }
  return days;
}

/** A random instant of a day, following an hourly weight curve (local hours; ignores DST's odd days). */
export function timeOfDay(rng: Random, day: Day, hours: readonly number[]): number {
  const hour = rng.weighted(hours.map((w, h) => [h, w] as const));
  return day.start + hour * HOUR + rng.int(0, HOUR - 1);
}

/** A random instant between two local clock times of the day ("09:05" → "09:40"). */
export function between(rng: Random, day: Day, from: string, to: string): number {
  const [fh, fm] = from.split(':').map(Number);
  const [th, tm] = to.split(':').map(Number);
  return day.start + rng.int((fh * 60 + fm) * MINUTE, (th * 60 + tm) * MINUTE);
}

/** A local clock time on a given day ("23:31:07"). */
export function clockTime(zone: Zone, dayStart: number, hhmmss: string): number {
  const [h, m, s] = hhmmss.split(':').map(Number);
  const l = zone.local(dayStart + 12 * HOUR);
  return zone.instant(l.year, l.month, l.day, h, m, s ?? 0);
}

// --- addresses -------------------------------------------------------------------------------------------

/** /16 networks that show up again and again in Chinese servers' SSH logs (cloud hosts and hijacked boxes). */
const NOISY_NETS = ['218.92', '222.186', '61.177', '49.88', '112.85', '45.10', '45.136', '193.56', '141.98', '89.248', '185.220', '92.63', '159.65', '167.71', '134.209', '106.12', '118.24', '139.59', '129.211', '150.158'];
const PUBLIC_FIRST_OCTETS = [1, 5, 14, 23, 27, 31, 36, 37, 39, 41, 42, 43, 45, 46, 49, 51, 58, 59, 60, 61, 62, 77, 78, 79, 80, 81, 82, 85, 87, 91, 94, 95, 101, 103, 104, 106, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 134, 139, 140, 141, 142, 144, 146, 151, 154, 157, 159, 160, 161, 162, 164, 165, 167, 170, 171, 175, 176, 177, 178, 179, 180, 181, 182, 183, 185, 186, 187, 188, 189, 190, 191, 193, 194, 195, 196, 197, 200, 201, 202, 203, 210, 211, 212, 213, 217, 218, 219, 220, 221, 222, 223];

export function publicIp(rng: Random): string {
  let first = rng.pick(PUBLIC_FIRST_OCTETS);
  let second = rng.int(0, 255);
  // Skip the documentation, shared and benchmark ranges inside those first octets.
  if ((first === 203 && second === 0) || (first === 198 && (second === 18 || second === 19 || second === 51))) second = 1;
  if (first === 100 && second >= 64 && second <= 127) first = 101;
  return `${first}.${second}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export function scannerIp(rng: Random): string {
  if (rng.chance(0.55)) return `${rng.pick(NOISY_NETS)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  return publicIp(rng);
}

/** A Chinese mobile carrier address (4G). */
export function mobileIp(rng: Random): string {
  const net = rng.pick(['223.104', '117.136', '112.97', '39.144', '111.55', '120.239', '223.88', '117.188', '183.193']);
  return `${net}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** A Chinese home or office broadband address. */
export function broadbandIp(rng: Random): string {
  const net = rng.pick(['115.236', '60.186', '183.156', '122.224', '114.88', '125.118', '218.17', '61.164', '183.129', '36.27', '101.71', '113.87', '59.42']);
  return `${net}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

// --- SSH from the internet ---------------------------------------------------------------------------------

const GUESSED_USERS = ['admin', 'test', 'user', 'ubuntu', 'oracle', 'postgres', 'git', 'guest', 'ftpuser', 'pi', 'support', 'hadoop', 'www', 'mysql1', 'tomcat', 'jenkins', 'zabbix', 'nagios', 'minecraft', 'centos', 'test1', 'admin1', 'user1', 'dev', 'ts3', 'teamspeak', 'odoo', 'es', 'elastic', 'redis', 'deployer', 'steam', 'ansible', 'vagrant', 'docker', 'web', 'www-data1', 'sftp', 'backup1', 'sysadmin'];

/**
 * Password guessers from all over the internet: each source makes a few connections, mostly for root or made-up
 * names. None succeeds. Returns the sources, so a scenario can keep its attacker's address apart from them.
 */
export function sshScanners(b: BundleBuilder, host: LinuxHost, rng: Random, o: { days: Day[]; perDay: number; validUsers: string[]; avoid?: ReadonlySet<string> }): Set<string> {
  const sources = new Set<string>();
  for (const day of o.days) {
    const count = rng.poisson(o.perDay);
    for (let i = 0; i < count; i++) {
      const ip = scannerIp(rng);
      if (o.avoid?.has(ip)) continue;
      sources.add(ip);
      let t = timeOfDay(rng, day, FLAT_HOURS);
      const connections = rng.weighted([
        [1, 5],
        [2, 3],
        [3, 2],
        [6, 1],
      ] as const);
      for (let c = 0; c < connections; c++) {
        const when = t;
        const root = rng.chance(0.55);
        const user = root ? 'root' : rng.chance(0.08) ? rng.pick(o.validUsers) : rng.pick(GUESSED_USERS);
        const invalid = !root && !o.validUsers.includes(user);
        const attempts = rng.weighted([
          [1, 6],
          [2, 2],
          [3, 2],
        ] as const);
        if (rng.chance(0.06)) b.at(when, () => host.noIdentification(when, ip));
        else b.at(when, () => host.failedLogin(when, { user, ip, invalid, attempts }));
        t += rng.int(2, 90) * SECOND;
      }
    }
  }
  return sources;
}

/** One long brute force against one account from one source that never gets in (the classic false lead). */
export function sshBruteForce(b: BundleBuilder, host: LinuxHost, rng: Random, o: { start: number; ip: string; user: string; connections: number; step?: string }): number {
  let t = o.start;
  for (let c = 0; c < o.connections; c++) {
    const when = t;
    b.at(when, () => host.failedLogin(when, { user: o.user, ip: o.ip, invalid: false, attempts: 3, step: o.step }));
    t += rng.int(6, 20) * SECOND;
  }
  return t;
}

// --- cron ------------------------------------------------------------------------------------------------

export interface CronJob {
  user: string;
  command: string;
  /** Minutes past the hour it runs at, every `everyHours` hours (1 = hourly), or a fixed daily time. */
  minutes?: number[];
  daily?: string;
  durationMs?: number;
}

export const UBUNTU_CRON: CronJob[] = [
  { user: 'root', command: '   cd / && run-parts --report /etc/cron.hourly', minutes: [17] },
  { user: 'root', command: 'test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )', daily: '06:25:01', durationMs: 3000 },
];

export function cronJobs(b: BundleBuilder, host: LinuxHost, zone: Zone, jobs: CronJob[], o: { days: Day[]; from: number; to: number }): void {
  for (const day of o.days) {
    for (const job of jobs) {
      const times: number[] = [];
      if (job.daily) times.push(clockTime(zone, day.start, job.daily));
      for (let h = 0; h < 24 && job.minutes; h++) for (const m of job.minutes) times.push(day.start + h * HOUR + m * MINUTE + SECOND);
      for (const t of times) if (t >= o.from && t <= o.to) b.at(t, () => host.cron(t, job.user, job.command, job.durationMs ?? 600));
    }
  }
}

// --- the web from the internet -------------------------------------------------------------------------------

/** Probes every public web server receives: they are noise, and some look like SQL injection or path traversal. */
const WEB_PROBES: Array<{ method: string; path: string; status: number }> = [
  { method: 'GET', path: '/.env', status: 404 },
  { method: 'GET', path: '/phpmyadmin/index.php', status: 404 },
  { method: 'GET', path: '/pma/index.php', status: 404 },
  { method: 'GET', path: '/wp-login.php', status: 404 },
  { method: 'GET', path: '/admin/config.php', status: 404 },
  { method: 'POST', path: '/GponForm/diag_Form?images/', status: 404 },
  { method: 'GET', path: '/?XDEBUG_SESSION_START=phpstorm', status: 404 },
  { method: 'GET', path: '/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=md5&vars[1][]=HelloThinkPHP', status: 404 },
  { method: 'GET', path: '/solr/admin/info/system?wt=json', status: 404 },
  { method: 'GET', path: '/manager/html', status: 404 },
  { method: 'GET', path: '/.git/config', status: 404 },
  { method: 'GET', path: '/actuator/health', status: 404 },
  { method: 'GET', path: '/cgi-bin/../../../../../../etc/passwd', status: 400 },
  { method: 'GET', path: '/static/..%2f..%2f..%2f..%2fetc%2fpasswd', status: 404 },
  { method: 'GET', path: '/api/v1/goods/detail?id=1%27%20and%20%271%27=%271', status: 400 },
  { method: 'GET', path: '/index.php?id=1%20union%20select%201,2,3,md5(0x31),5--', status: 404 },
  { method: 'GET', path: '/robots.txt', status: 404 },
  { method: 'GET', path: '/favicon.ico', status: 404 },
  { method: 'HEAD', path: '/', status: 200 },
  { method: 'GET', path: '/', status: 200 },
];

/** A TLS ClientHello sent to the plain-HTTP port, as nginx logs it. */
function tlsProbe(rng: Random): string {
  const bytes = [0x16, 0x03, 0x01, 0x00, rng.int(0xa0, 0xff), 0x01, 0x00, 0x00, rng.int(0x90, 0xfb), 0x03, 0x03];
  for (let i = 0; i < 6; i++) bytes.push(rng.int(0, 255));
  return bytes.map((x) => `\\x${x.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

export function webScanners(b: BundleBuilder, nginx: NginxLog, rng: Random, o: { days: Day[]; perDay: number; avoid?: ReadonlySet<string> }): void {
  for (const day of o.days) {
    const count = rng.poisson(o.perDay);
    for (let i = 0; i < count; i++) {
      const ip = scannerIp(rng);
      if (o.avoid?.has(ip)) continue;
      const t = timeOfDay(rng, day, FLAT_HOURS);
      const ua = rng.pick(USER_AGENTS.scanners);
      const probes = rng.int(1, 4);
      b.at(t, () => {
        let at = t;
        for (let p = 0; p < probes; p++) {
          if (rng.chance(0.07)) {
            nginx.request(at, { ip, method: '', path: '', status: 400, bytes: 157, rawRequest: tlsProbe(rng) });
          } else {
            const probe = rng.pick(WEB_PROBES);
            nginx.request(at, { ip, method: probe.method, path: probe.path, status: probe.status, bytes: probe.status === 200 ? 612 : probe.status === 400 ? 157 : 153, userAgent: ua });
          }
          at += rng.int(0, 3) * SECOND;
        }
      });
    }
  }
}

/** Search-engine crawlers on public pages. */
export function webCrawlers(b: BundleBuilder, nginx: NginxLog, rng: Random, o: { days: Day[]; perDay: number; paths: string[] }): void {
  for (const day of o.days) {
    const count = rng.poisson(o.perDay);
    for (let i = 0; i < count; i++) {
      const t = timeOfDay(rng, day, FLAT_HOURS);
      const ua = rng.pick(USER_AGENTS.bots);
      const ip = ua.includes('Baidu') ? `220.181.108.${rng.int(75, 190)}` : ua.includes('Sogou') ? `123.126.113.${rng.int(1, 250)}` : `40.77.167.${rng.int(1, 250)}`;
      const path = rng.pick(o.paths);
      b.at(t, () => nginx.request(t, { ip, method: 'GET', path, status: 200, bytes: rng.int(3000, 40000), userAgent: ua }));
    }
  }
}
