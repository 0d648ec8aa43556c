/**
 * Evidence ingestion speed: generates a realistic auth.log (sshd accepted / failed / invalid users / sessions /
 * disconnects, sudo, su, cron, account changes, other programs; thousands of client addresses and users), then
 * times, median of --runs runs each (3 by default):
 *   1. `grep -c 'Failed password'` over the file: the raw scan limit of this machine;
 *   2. parsing alone: the whole file through createEventParser in 64 KiB chunks (what fs.createReadStream
 *      delivers by default; `--chunk-kb N` to change), counting events;
 *   3. parse + store into PGlite (a data folder on disk) and into PostgreSQL (a new database), as
 *      `firedrill evidence add` does it (bench/ingest-store.ts): over the first --store-mb MB of the file (whole
 *      lines), median of --store-runs runs each. Goal on PostgreSQL: ≥ 100,000 events/s.
 * Every figure is printed with the 1-minute load average: the machine is shared, compare figures of one run. The
 * store phases also print CPU time per event, of this Node process and (PostgreSQL) of the server's backends,
 * which the load inflates far less than wall time; the PostgreSQL figure is what bounds events/s on 2 cores.
 *
 *   node --import tsx bench/ingest.ts                 # 1 GB file (goal: parsing ≥ 200 MB/s on one core)
 *   node --import tsx bench/ingest.ts --mb 100        # a quicker run
 *   node --import tsx bench/ingest.ts --file /tmp/x.log --keep   # reuse / keep the generated file
 *   node --import tsx bench/ingest.ts --store-mb 50 --store-runs 1   # shorter store phases (default 200 MB, 3 runs)
 *   node --import tsx bench/ingest.ts --skip-pglite --skip-postgres  # grep and parse only
 *   node --import tsx bench/ingest.ts --skip-parse --skip-pglite     # parse + store into PostgreSQL only
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/ingest.ts --mb 200 --runs 1 --skip-pglite --skip-postgres
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEventParser } from '../src/modules/evidence/parsers/index.js';
import { timeParseAndStore, type StoreRun } from './ingest-store.js';

const args = process.argv.slice(2);
function flag(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}
const MB = Number(flag('mb') ?? 1024);
const RUNS = Number(flag('runs') ?? 3);
const KEEP = args.includes('--keep');
const CHUNK = Number(flag('chunk-kb') ?? 64) * 1024;
const STORE_MB = Number(flag('store-mb') ?? 200);
const STORE_RUNS = Number(flag('store-runs') ?? 3);
const SKIP_PARSE = args.includes('--skip-parse');
const SKIP_PGLITE = args.includes('--skip-pglite');
const SKIP_POSTGRES = args.includes('--skip-postgres');
const GOAL_MB_S = 200;
const GOAL_PG_EVENTS_S = 100_000;

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

/** A small deterministic PRNG (xorshift32) so every run generates the same file. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

/** Writes a realistic auth.log of about `mb` megabytes (10^6 bytes) to `path`. */
function generateAuthLog(path: string, mb: number): void {
  const target = mb * 1_000_000;
  const rand = rng(20240102);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const hosts = ['web1', 'web2', 'db-master', 'bastion'];
  const users = ['root', 'admin', 'deploy', 'alice', 'bob', 'carol', 'dave', 'zhang.san', 'li.si', 'wang.wu', 'ops', 'backup'];
  const badUsers = ['oracle', 'test', 'guest', 'ubuntu', 'postgres', 'git', 'user1', 'ftpuser', 'admin test', 'pi', 'support', 'hadoop'];
  const attackers = Array.from({ length: 3000 }, () => `${1 + Math.floor(rand() * 222)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`);
  const clients = Array.from({ length: 200 }, (_, i) => (i % 20 === 0 ? `2001:db8:${(i * 7).toString(16)}::${(i * 13).toString(16)}` : `10.${i % 4}.${Math.floor(i / 4)}.${1 + (i % 250)}`));
  const commands = ['/usr/bin/systemctl restart nginx', '/bin/bash', '/usr/bin/apt-get update', '/usr/bin/tail -f /var/log/syslog', '/usr/bin/docker ps -a'];
  const crons = ['cd / && run-parts --report /etc/cron.hourly', '/usr/local/bin/backup.sh >/dev/null 2>&1', 'command -v debian-sa1 > /dev/null && debian-sa1 1 1', '[ -x /usr/lib/php/sessionclean ] && /usr/lib/php/sessionclean'];

  let t = Date.UTC(2024, 0, 2, 0, 0, 0) / 1000;
  let pid = 20_000;
  const fd = openSync(path, 'w');
  const CHUNK = 4 << 20;
  let parts: string[] = [];
  let partBytes = 0;
  let written = 0;
  const flush = () => {
    const buf = Buffer.from(parts.join(''), 'latin1');
    writeSync(fd, buf);
    written += buf.length;
    parts = [];
    partBytes = 0;
  };
  let stamp = '';
  let stampT = -1;
  const line = (host: string, tag: string, msg: string) => {
    if (stampT !== t) {
      const d = new Date(t * 1000);
      const day = d.getUTCDate();
      stamp = `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}`;
      stampT = t;
    }
    const s = `${stamp} ${host} ${tag}: ${msg}\n`;
    parts.push(s);
    partBytes += s.length;
  };
  while (written + partBytes < target) {
    // Time moves on by 0–2 s between bursts; a burst is a handful of lines of one connection.
    if (rand() < 0.35) t += Math.floor(rand() * 3);
    const host = pick(hosts);
    const r = rand();
    const p = pid++;
    if (pid > 4_000_000) pid = 20_000;
    const sshd = `sshd[${p}]`;
    if (r < 0.45) {
      // Brute force: failed passwords (some for invalid users), then the connection closes.
      const ip = pick(attackers);
      const port = 1024 + Math.floor(rand() * 64_000);
      if (rand() < 0.5) {
        const u = pick(badUsers);
        line(host, sshd, `Invalid user ${u} from ${ip} port ${port}`);
        line(host, sshd, `pam_unix(sshd:auth): check pass; user unknown`);
        line(host, sshd, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`);
        line(host, sshd, `Failed password for invalid user ${u} from ${ip} port ${port} ssh2`);
        line(host, sshd, `Connection closed by invalid user ${u} ${ip} port ${port} [preauth]`);
      } else {
        const u = pick(users);
        line(host, sshd, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${u}`);
        line(host, sshd, `Failed password for ${u} from ${ip} port ${port} ssh2`);
        if (rand() < 0.3) line(host, sshd, `message repeated 2 times: [ Failed password for ${u} from ${ip} port ${port} ssh2]`);
        line(host, sshd, `Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`);
        line(host, sshd, `Disconnected from authenticating user ${u} ${ip} port ${port} [preauth]`);
      }
    } else if (r < 0.7) {
      // A legitimate login, session, logout.
      const ip = pick(clients);
      const port = 1024 + Math.floor(rand() * 64_000);
      const u = pick(users);
      const method = rand() < 0.6 ? 'publickey' : 'password';
      line(host, sshd, method === 'publickey' ? `Accepted publickey for ${u} from ${ip} port ${port} ssh2: ED25519 SHA256:${'k9Qz1v7YpXw3LmN0aBcDeFgHiJkLmNoPqRsTuVwXyZ0'}` : `Accepted password for ${u} from ${ip} port ${port} ssh2`);
      line(host, sshd, `pam_unix(sshd:session): session opened for user ${u}(uid=${1000 + users.indexOf(u)}) by (uid=0)`);
      line(host, `systemd-logind[812]`, `New session ${p % 9000} of user ${u}.`);
      if (rand() < 0.4) {
        line(host, 'sudo', `    ${u} : TTY=pts/${p % 8} ; PWD=/home/${u} ; USER=root ; COMMAND=${pick(commands)}`);
        line(host, 'sudo', `pam_unix(sudo:session): session opened for user root(uid=0) by ${u}(uid=${1000 + users.indexOf(u)})`);
        line(host, 'sudo', `pam_unix(sudo:session): session closed for user root`);
      }
      line(host, sshd, `Received disconnect from ${ip} port ${port}:11: disconnected by user`);
      line(host, sshd, `Disconnected from user ${u} ${ip} port ${port}`);
      line(host, sshd, `pam_unix(sshd:session): session closed for user ${u}`);
      line(host, `systemd-logind[812]`, `Removed session ${p % 9000}.`);
    } else if (r < 0.9) {
      const cron = `CRON[${p}]`;
      line(host, cron, `pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`);
      line(host, cron, `(root) CMD (${pick(crons)})`);
      line(host, cron, `pam_unix(cron:session): session closed for user root`);
    } else if (r < 0.95) {
      const u = pick(users);
      if (rand() < 0.5) line(host, 'sudo', `    ${u} : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/${u} ; USER=root ; COMMAND=/usr/bin/su -`);
      else line(host, `su[${p}]`, `(to root) ${u} on pts/2`);
    } else if (r < 0.96) {
      const u = `tmp${p % 1000}`;
      line(host, `useradd[${p}]`, `new group: name=${u}, GID=${2000 + (p % 1000)}`);
      line(host, `useradd[${p}]`, `new user: name=${u}, UID=${2000 + (p % 1000)}, GID=${2000 + (p % 1000)}, home=/home/${u}, shell=/bin/bash, from=/dev/pts/0`);
      line(host, `usermod[${p + 1}]`, `add '${u}' to group 'sudo'`);
    } else {
      const ip = pick(attackers);
      line(host, sshd, `Connection closed by ${ip} port ${1024 + Math.floor(rand() * 64_000)} [preauth]`);
      line(host, sshd, `Unable to negotiate with ${ip} port 41234: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]`);
      line(host, 'systemd[1]', `Started Session ${p % 9000} of User root.`);
    }
    if (partBytes >= CHUNK) flush();
  }
  flush();
  closeSync(fd);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeGrep(path: string): { seconds: number; count: number } {
  const start = performance.now();
  const r = spawnSync('grep', ['-c', 'Failed password', path], { encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`grep failed: ${r.stderr}`);
  return { seconds, count: Number(r.stdout.trim()) };
}

/** Parses the first `limit` bytes without timing them, so the JIT has compiled the parser before the timed runs. */
function warmUp(path: string, limit: number): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  const parser = createEventParser({ parser: 'auth', encoding: 'utf8', timeZone: 'Asia/Shanghai', year: 2024 });
  let read = 0;
  while (read < limit) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    read += n;
    parser.push(buf.subarray(0, n));
  }
  parser.end();
  closeSync(fd);
}

function timeParse(path: string): { seconds: number; cpuSeconds: number; events: number; unparsed: number; lines: number } {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  const parser = createEventParser({ parser: 'auth', encoding: 'utf8', timeZone: 'Asia/Shanghai', year: 2024, referenceTime: Date.UTC(2024, 11, 31) });
  let events = 0;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    events += parser.push(buf.subarray(0, n)).length;
  }
  events += parser.end().length;
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  closeSync(fd);
  const report = parser.report();
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, events, unparsed: report.unparsed, lines: report.lines };
}

/** A copy of the first `bytes` of `path`, cut after a newline. */
function prefixFile(path: string, bytes: number): string {
  const out = `${path}.${bytes}.prefix`;
  const src = openSync(path, 'r');
  const dst = openSync(out, 'w');
  const buf = Buffer.allocUnsafe(4 << 20);
  let copied = 0;
  while (copied < bytes) {
    const n = readSync(src, buf, 0, Math.min(buf.length, bytes - copied + 4096), null);
    if (n === 0) break;
    let take = n;
    if (copied + n >= bytes) {
      const cut = buf.subarray(0, n).indexOf(10, bytes - copied - 1);
      take = cut < 0 ? n : cut + 1;
    }
    writeSync(dst, buf, 0, take);
    copied += take;
    if (take < n) break;
  }
  closeSync(src);
  closeSync(dst);
  return out;
}

const fileArg = flag('file');
const dir = fileArg ? null : mkdtempSync(join(tmpdir(), 'firedrill-ingest-'));
const path = fileArg ?? join(dir!, 'auth.log');
try {
  if (!existsSync(path)) {
    log(`generating ${MB} MB auth.log at ${path}`);
    const g = performance.now();
    generateAuthLog(path, MB);
    log(`generated in ${((performance.now() - g) / 1000).toFixed(1)} s`);
  }
  const size = statSync(path).size;
  const mb = size / 1_000_000;
  log(`file: ${mb.toFixed(0)} MB; load average ${loadavg()[0].toFixed(2)} (1 min); ${RUNS} runs each; ${CHUNK / 1024} KiB chunks`);

  const load = () => loadavg()[0].toFixed(2);
  let grepS = NaN;
  if (!SKIP_PARSE) {
    warmUp(path, 64 << 20);
    const greps = [];
    const parses = [];
    for (let i = 0; i < RUNS; i++) {
      const g = timeGrep(path);
      greps.push(g);
      log(`grep run ${i + 1}: ${(mb / g.seconds).toFixed(0)} MB/s (${g.count} lines match)`);
      const p = timeParse(path);
      parses.push(p);
      log(`parse run ${i + 1}: ${(mb / p.seconds).toFixed(0)} MB/s (${(mb / p.cpuSeconds).toFixed(0)} MB per CPU second), ${(p.events / p.seconds / 1e6).toFixed(2)} M events/s (${p.events} events, ${p.lines} lines, ${p.unparsed} unparsed); load ${load()}`);
    }
    grepS = median(greps.map((g) => g.seconds));
    const parseS = median(parses.map((p) => p.seconds));
    const parseCpuS = median(parses.map((p) => p.cpuSeconds));
    const events = parses[0].events;
    console.log(`file                  ${mb.toFixed(0)} MB, ${parses[0].lines} lines, ${events} events, ${parses[0].unparsed} unparsed`);
    console.log(`grep -c              ${(mb / grepS).toFixed(0)} MB/s (median ${grepS.toFixed(2)} s)`);
    console.log(`parse                ${(mb / parseS).toFixed(0)} MB/s, ${(events / parseS / 1e6).toFixed(2)} M events/s (median ${parseS.toFixed(2)} s); ${((grepS / parseS) * 100).toFixed(0)}% of grep's speed; goal ${GOAL_MB_S} MB/s: ${mb / parseS >= GOAL_MB_S ? 'met' : 'NOT met'}`);
    console.log(`parse (CPU time)     ${(mb / parseCpuS).toFixed(0)} MB per CPU second (median ${parseCpuS.toFixed(2)} CPU s; includes GC threads); load ${load()}`);
  }

  const kinds = (['pglite', 'postgres'] as const).filter((k) => !(k === 'pglite' ? SKIP_PGLITE : SKIP_POSTGRES));
  if (kinds.length) {
    const storePath = STORE_MB * 1_000_000 >= size ? path : prefixFile(path, STORE_MB * 1_000_000);
    try {
      const storeMb = statSync(storePath).size / 1_000_000;
      const storeGrep = median(Array.from({ length: Math.max(1, STORE_RUNS) }, () => timeGrep(storePath).seconds));
      log(`parse + store over ${storeMb.toFixed(0)} MB, ${STORE_RUNS} runs each; grep -c over it ${(storeMb / storeGrep).toFixed(0)} MB/s`);
      for (const kind of kinds) {
        const runs: StoreRun[] = [];
        for (let i = 0; i < STORE_RUNS; i++) {
          const r = await timeParseAndStore(kind, storePath);
          runs.push(r);
          const server = r.serverCpu === null ? '' : `, server ${((r.serverCpu / r.events) * 1e6).toFixed(2)} µs/event`;
          log(`${kind} run ${i + 1}: ${(storeMb / r.seconds).toFixed(1)} MB/s, ${Math.round(r.events / r.seconds).toLocaleString('en')} events/s (${r.events} events in ${r.seconds.toFixed(1)} s); CPU: node ${((r.nodeCpu / r.events) * 1e6).toFixed(2)} µs/event${server}; load ${load()}`);
        }
        const s = median(runs.map((r) => r.seconds));
        const eventsPerS = runs[0].events / s;
        const nodeUs = (median(runs.map((r) => r.nodeCpu)) / runs[0].events) * 1e6;
        const serverUs = kind === 'postgres' ? (median(runs.map((r) => r.serverCpu ?? NaN)) / runs[0].events) * 1e6 : null;
        const cpuNote = `CPU per event: node ${nodeUs.toFixed(2)} µs${serverUs === null ? '' : `, PostgreSQL ${serverUs.toFixed(2)} µs`} (medians)`;
        const goal = kind === 'postgres' ? `; goal ${GOAL_PG_EVENTS_S.toLocaleString('en')} events/s: ${eventsPerS >= GOAL_PG_EVENTS_S ? 'met' : 'NOT met'}` : '';
        console.log(
          `${`parse + store ${kind === 'pglite' ? 'PGlite' : 'PostgreSQL'}`.padEnd(20)} ${(storeMb / s).toFixed(1)} MB/s, ${Math.round(eventsPerS).toLocaleString('en')} events/s (median ${s.toFixed(1)} s over ${storeMb.toFixed(0)} MB, ${runs[0].events} events); ${((storeGrep / s) * 100).toFixed(1)}% of grep's speed${goal}; ${cpuNote}; load ${load()}`,
        );
      }
    } finally {
      if (storePath !== path) rmSync(storePath, { force: true });
    }
  }
  console.log(`load average         ${loadavg().map((x) => x.toFixed(2)).join(' ')} (1, 5, 15 min); ${cpus().length} cores`);
} finally {
  if (dir && !KEEP) rmSync(dir, { recursive: true, force: true });
  else log(`kept ${path}`);
}
