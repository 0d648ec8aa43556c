/**
 * Evidence end to end on a real database: the seed scenario's generated bundle stored, parsed, searched and run
 * through the bundled Sigma rules, scored against its ground truth; raw lines, custody and a bundle a third party
 * verifies with `sha256sum -c`; bad files refused or reported without touching what is stored.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { systemActor, type ServiceContext } from '../src/context.js';
import { AppError } from '../src/errors.js';
import { verifyAuditChain } from '../src/modules/audit/service.js';
import { CreateDrillBody } from '../src/modules/drills/schema.js';
import { createDrill, transitionDrill } from '../src/modules/drills/service.js';
import { generateDrillTraces, scoreDrillFindings } from '../src/modules/evidence/drill-traces.js';
import { createFinding, listFindings, runDetection } from '../src/modules/evidence/findings.js';
import { eventHistogram, eventPivots, searchEvents } from '../src/modules/evidence/search.js';
import { addEvidence, exportEvidence, getEvidence, getRawLine, listEvidence } from '../src/modules/evidence/service.js';
import { FolderEvidenceStore } from '../src/modules/evidence/store.js';
import { createIncident } from '../src/modules/incidents/service.js';
import { buildEvaluationReport } from '../src/modules/reports/evaluation-report.js';
import { renderMarkdown } from '../src/modules/reports/render-markdown.js';
import { findScenarioByKey, installLibrary } from '../src/modules/scenarios/service.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';

let db: TestDatabase;
let dataDir: string;
let store: FolderEvidenceStore;
let clock: ManualClock;
let ctx: ServiceContext;
let drillId: string;
let generated: Awaited<ReturnType<typeof generateDrillTraces>>;

const q = (over: Record<string, unknown> = {}) => ({ limit: 100, offset: 0, order: 'asc' as const, ...over });
async function count(table: 'evidence_files' | 'evidence_events' | 'evidence_custody'): Promise<number> {
  const result = (await db.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows: { n: number }[] };
  return Number(result.rows[0].n);
}
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'no error';
}

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'firedrill-evidence-test-'));
  store = new FolderEvidenceStore(dataDir);
  clock = new ManualClock('2020-04-18T00:30:00Z');
  ctx = { db: db.db, clock, actor: systemActor('test') };
  await installLibrary(ctx);
  const scenario = await findScenarioByKey(db.db, 'seed-password-leak');
  const drill = await createDrill(ctx, CreateDrillBody.parse({ title: '口令泄露演练', mode: 'simulated', scope: 'single_topic', scenarioId: scenario!.id, scheduledStart: '2020-04-18T01:00:00Z' }));
  drillId = drill.id;
  generated = await generateDrillTraces(ctx, store, drillId, { seed: 'seed-drill' });
  await transitionDrill(ctx, drillId, 'approve');
  clock.set(new Date('2020-04-18T01:00:00Z'));
  await transitionDrill(ctx, drillId, 'start');
}, 180_000);

afterAll(async () => {
  await db?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the seed scenario as drill evidence', () => {
  it('stores each generated file content-addressed and parses every line of it', async () => {
    const evidence = await listEvidence(ctx, drillId);
    expect(generated).toMatchObject({ scenarioKey: 'seed-password-leak', seed: 'seed-drill', steps: 3 });
    expect(evidence.map((e) => e.filename).sort()).toEqual(['access.log', 'auth.log', 'mysql-general.log', 'operation.jsonl', 'syslog', 'wechatpay-bill.csv', 'wechatpay-fundflow.csv']);
    for (const e of evidence) {
      expect(e.exercise).toBe(true);
      expect(e.generated).toBe(true);
      expect(e.status).toBe('parsed');
      expect(e.report!.unparsed, `${e.filename} lines not parsed: ${e.report!.unparsedLines.join(',')}`).toBe(0);
      expect(e.report!.events + e.report!.skipped).toBe(e.report!.lines);
      const file = join(dataDir, 'evidence', 'sha256', e.sha256.slice(0, 2), e.sha256.slice(2, 4), e.sha256);
      expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(e.sha256);
    }
    expect(evidence.find((e) => e.filename === 'wechatpay-bill.csv')!.encoding).toMatch(/gbk|gb18030/);
    expect(await count('evidence_events')).toBe(evidence.reduce((n, e) => n + e.report!.events, 0));
  });

  it('searches by type, user, address block, words and time, with the total', async () => {
    const rootLogins = await searchEvents(ctx, drillId, q({ type: 'auth.success', user: 'root' }));
    expect(rootLogins.total).toBeGreaterThan(1);
    expect(rootLogins.events.every((e) => e.type === 'auth.success' && e.user === 'root')).toBe(true);
    const attacker = await searchEvents(ctx, drillId, q({ ip: '103.0.0.0/8', type: 'auth.success' }));
    expect(attacker.total).toBe(1);
    expect(attacker.events[0]).toMatchObject({ user: 'root', source: 'sshd', host: 'app-server' });
    expect(attacker.events[0].srcIp!.startsWith('103.')).toBe(true);
    const exact = await searchEvents(ctx, drillId, q({ ip: attacker.events[0].srcIp }));
    expect(exact.total).toBeGreaterThanOrEqual(1);
    const words = await searchEvents(ctx, drillId, q({ text: 'Accepted password', user: 'root', to: '2020-04-18T00:00:00+08:00', from: '2020-04-17T23:00:00+08:00' }));
    expect(words.events.map((e) => e.srcIp)).toEqual([attacker.events[0].srcIp]);
    const page = await searchEvents(ctx, drillId, q({ type: 'http.request', limit: 10, offset: 10 }));
    expect(page.events).toHaveLength(10);
    expect(await codeOf(searchEvents(ctx, drillId, q({ ip: '10.0.0.0/33' })))).toBe('search_ip_invalid');
    expect(await codeOf(searchEvents(ctx, drillId, q({ ip: "1.1.1.1' or 1=1" })))).toBe('search_ip_invalid');
    // A value with SQL and LIKE metacharacters is matched literally.
    expect((await searchEvents(ctx, drillId, q({ text: "%' or 1=1 --" }))).total).toBe(0);
  });

  it('draws a histogram whose buckets add up to the total, and pivots on users and addresses', async () => {
    const filters = { type: 'auth.failure' };
    const total = (await searchEvents(ctx, drillId, q(filters))).total;
    const histogram = await eventHistogram(ctx, drillId, filters);
    expect(histogram.buckets.reduce((n, b) => n + b.count, 0)).toBe(total);
    // About five and a half days of logs: hourly buckets.
    expect(histogram.bucket).toBe('hour');
    const pivots = await eventPivots(ctx, drillId, {});
    expect(pivots.users.length).toBeGreaterThan(0);
    expect(pivots.users[0].count).toBeGreaterThanOrEqual(pivots.users.at(-1)!.count);
    expect(pivots.firstSeenIps.length).toBeGreaterThan(0);
  });

  it('shows the original line of an event, byte for byte, and records the access in the chain of custody', async () => {
    const [event] = (await searchEvents(ctx, drillId, q({ ip: '103.0.0.0/8', type: 'auth.success' }))).events;
    const raw = await getRawLine(ctx, store, event.id);
    const evidence = await getEvidence(ctx, raw.evidenceId);
    const file = readFileSync(join(dataDir, 'evidence', 'sha256', evidence.contentSha256.slice(0, 2), evidence.contentSha256.slice(2, 4), evidence.contentSha256));
    const line = file.toString('utf8').split('\n')[raw.lineNo - 1];
    expect(raw.text).toBe(line);
    expect(raw.text).toContain('Accepted password for root from 103.');
    expect(Buffer.from(raw.base64, 'base64').equals(Buffer.from(line))).toBe(true);
    const custody = (await getEvidence(ctx, raw.evidenceId)).custody.map((c) => c.action);
    expect(custody).toEqual(['collected', 'parsed', 'viewed']);
  });

  it('finds every step of the attack with the bundled rules, with only a few false leads', async () => {
    clock.set(new Date('2020-04-18T01:40:00Z'));
    const run = await runDetection(ctx, drillId);
    expect(run.errors).toEqual([]);
    expect(run.created.length).toBe(run.hits);
    // Running again records nothing twice.
    expect((await runDetection(ctx, drillId)).created).toHaveLength(0);
    const score = await scoreDrillFindings(ctx, drillId);
    expect(score.steps.map((s) => [s.key, s.found])).toEqual([
      ['illegal-login', true],
      ['balance-tampering', true],
      ['payout-path', true],
    ]);
    expect(score.found).toBe(3);
    expect(score.missed).toBe(0);
    // The one false lead: internet scanners probing for path traversal, noise every public web server gets.
    expect(score.falseLeads.map((f) => f.title), JSON.stringify(score.falseLeads, null, 1)).toEqual([expect.stringContaining('路径穿越')]);
    expect(score.steps.every((s) => s.timeToFindMs === 40 * 60_000)).toBe(true);
    // The evaluation report carries the score.
    const md = renderMarkdown(await buildEvaluationReport(ctx, drillId, 'zh-CN'));
    const section = md.slice(md.indexOf('(五)日志取证(技术注入)'), md.indexOf('四、演练目标评估'));
    expect(section).toContain('埋设了 3 个攻击步骤,处置人员发现 3 个');
    expect(section).toMatch(/\| 非法登录[^|]*\| 已发现 \| \\\+40 分钟 \|/);
  });

  it('turns a search into a finding on the drill timeline that links to its events', async () => {
    clock.set(new Date('2020-04-18T01:45:00Z'));
    const finding = await createFinding(ctx, drillId, { text: '攻击者 IP 的全部活动', query: { ip: '103.0.0.0/8' } });
    const total = (await searchEvents(ctx, drillId, q({ ip: '103.0.0.0/8' }))).total;
    expect(finding.evidence).toMatchObject({ total, query: { ip: '103.0.0.0/8' } });
    expect(finding.evidence!.eventIds).toHaveLength(Math.min(total, 1000));
    expect(finding.drillTimeMs).toBe(45 * 60_000);
    expect((await listFindings(ctx, drillId)).at(-1)!.entryId).toBe(finding.entryId);
    expect(await codeOf(createFinding(ctx, drillId, { text: '空', query: { user: 'nobody-at-all' } }))).toBe('finding_without_events');
  });

  it('exports a bundle that sha256sum -c verifies, recorded in every file\'s custody', async () => {
    const out = mkdtempSync(join(tmpdir(), 'firedrill-export-'));
    try {
      const result = await exportEvidence(ctx, store, drillId, out);
      expect(result.files).toBe(7);
      const check = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
      expect(check.match(/: OK$/gm)).toHaveLength(7);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      expect(manifest.incident.exercise).toBe(true);
      expect(manifest.files[0].custody.map((c: { action: string }) => c.action)).toContain('exported');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('bad evidence files', () => {
  let incidentId: string;
  let before: { files: number; events: number; custody: number };

  beforeAll(async () => {
    incidentId = (await createIncident(ctx, { title: '服务器日志调查', category: 'network_attack' })).id;
    before = { files: await count('evidence_files'), events: await count('evidence_events'), custody: await count('evidence_custody') };
  });

  const add = (filename: string, content: Buffer | Buffer[], extra: Record<string, unknown> = {}) =>
    addEvidence(ctx, store, incidentId, { filename, source: Array.isArray(content) ? content : [content], ...extra });

  it('refuses a 0-byte file, binary garbage, a truncated gzip, a wrong encoding and a CSV without its column, storing nothing', async () => {
    const garbage = Buffer.alloc(200_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + (i >> 3)) % 256;
    const log = Buffer.from(Array.from({ length: 5000 }, (_, i) => `Apr 17 10:${String(i % 60).padStart(2, '0')}:00 web sshd[${i}]: Failed password for root from 10.0.${i % 250}.1 port 22 ssh2\n`).join(''));
    const gz = gzipSync(log);
    expect(await codeOf(add('empty.log', Buffer.alloc(0)))).toBe('evidence_empty');
    expect(await codeOf(add('garbage.bin', garbage))).toBe('evidence_format_unknown');
    expect(await codeOf(add('auth.log.gz', gz.subarray(0, gz.length >> 1)))).toBe('evidence_gzip_invalid');
    expect(await codeOf(add('bill.csv', iconv.encode('交易时间,商户号,金额\n2020-04-17 10:00:00,1553738215,100.00\n', 'gbk'), { encoding: 'utf8', parser: 'csv', csvColumns: { time: '交易时间' } }))).toBe('evidence_encoding_invalid');
    expect(await codeOf(add('logins.csv', Buffer.from('时间,账号\n2020-04-17 10:00:00,root\n'), { parser: 'csv', csvColumns: { time: '时间', user: '账号', srcIp: '登录IP' } }))).toBe('evidence_csv_missing_column');
    expect(await codeOf(add('auth.log', log, { timeZone: 'Mars/Olympus' }))).toBe('evidence_time_zone_invalid');
    expect({ files: await count('evidence_files'), events: await count('evidence_events'), custody: await count('evidence_custody') }).toEqual(before);
    expect(readdirSync(join(dataDir, 'evidence', 'tmp'))).toEqual([]);
    expect((await verifyAuditChain({ db: db.db })).ok).toBe(true);
  });

  it('reports a 50 MB single line as not parsed, by its number, and keeps the other lines', async () => {
    const head = Buffer.from('Apr 17 10:00:00 web sshd[1]: Accepted password for deploy from 10.1.1.1 port 22 ssh2\n');
    const huge = Buffer.alloc(50 * 1024 * 1024, 'A');
    const tail = Buffer.from('\nApr 17 10:00:05 web sshd[2]: Failed password for root from 10.1.1.2 port 22 ssh2\n');
    const chunks = [head, ...Array.from({ length: 50 }, (_, i) => huge.subarray(i << 20, (i + 1) << 20)), tail];
    const added = await add('one-long-line.log', chunks, { parser: 'auth' });
    expect(added.report).toMatchObject({ lines: 3, events: 2, unparsed: 1, unparsedLines: [2] });
    expect(added.evidence.size).toBe(head.length + huge.length + tail.length);
  });

  it('accepts a gzip upload, keeping both the upload and its content, and refuses the same file twice', async () => {
    const log = Buffer.from('Apr 17 11:00:00 web sshd[9]: Accepted publickey for ops from 10.2.2.2 port 22 ssh2\n');
    const added = await add('auth.log.1.gz', gzipSync(log));
    expect(added.evidence).toMatchObject({ gzip: true, size: gzipSync(log).length, contentSize: log.length, contentSha256: createHash('sha256').update(log).digest('hex') });
    expect(added.report).toMatchObject({ parser: 'auth', events: 1 });
    expect(await codeOf(add('copy.gz', gzipSync(log)))).toBe('evidence_duplicate');
    const stored = await add('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), { parser: 'none', mediaType: 'image/png' });
    expect(stored).toMatchObject({ report: null, evidence: { status: 'stored', parser: null } });
    expect(existsSync(join(dataDir, 'evidence', 'sha256', stored.evidence.sha256.slice(0, 2), stored.evidence.sha256.slice(2, 4), stored.evidence.sha256))).toBe(true);
  });
});
