/**
 * The evidence API over HTTP: multipart upload (with its size limit), search, raw line and download, rules
 * upload and switching, and the ground truth of a drill's technical inject hidden from responders until it ends.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateDrillBody } from '../src/modules/drills/schema.js';
import { createDrill, transitionDrill } from '../src/modules/drills/service.js';
import { findScenarioByKey } from '../src/modules/scenarios/service.js';
import { systemContext } from './factories.js';
import { buildTestApp, signIn, type TestApp } from './helpers/app.js';

let t: TestApp;
let admin: string;
let responder: string;
let observer: string;

/** A multipart/form-data body: the fields first, then the file. */
function multipart(fields: Record<string, string>, file: { name: string; content: Buffer; type?: string } | null) {
  const boundary = `----firedrill${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(file.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const AUTH_LOG = Buffer.from(
  [
    'Apr 17 23:31:32 app-server sshd[16182]: Accepted password for root from 103.115.153.27 port 51544 ssh2',
    'Apr 17 23:31:32 app-server sshd[16182]: pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)',
    'Apr 17 23:40:01 app-server sshd[16190]: Failed password for invalid user admin from 45.9.20.1 port 40022 ssh2',
    'not a syslog line at all',
    '',
  ].join('\n'),
);

beforeAll(async () => {
  process.env.FIREDRILL_EVIDENCE_MAX_MB = '1';
  t = await buildTestApp();
  delete process.env.FIREDRILL_EVIDENCE_MAX_MB;
  admin = (await signIn(t, 'admin')).cookie;
  responder = (await signIn(t, 'responder')).cookie;
  observer = (await signIn(t, 'observer')).cookie;
});
afterAll(async () => {
  await t?.close();
});

/** Unpacks a ZIP into `dir` with yauzl (not the library that wrote it); returns the entry names. */
function unzipTo(zip: Buffer, dir: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, archive) => {
      if (err) return reject(err);
      const names: string[] = [];
      archive.on('error', reject);
      archive.on('end', () => resolve(names));
      archive.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        archive.openReadStream(entry, (openErr, stream) => {
          if (openErr) return reject(openErr);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            mkdirSync(dirname(join(dir, entry.fileName)), { recursive: true });
            writeFileSync(join(dir, entry.fileName), Buffer.concat(chunks));
            archive.readEntry();
          });
        });
      });
      archive.readEntry();
    });
  });
}

async function newIncident(): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { cookie: admin }, payload: { title: '服务器被非法登录', category: 'network_attack', level: 'IV' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

describe('evidence over HTTP', () => {
  it('uploads a file (gzip too), reports the lines not parsed, searches it, shows a raw line and downloads it', async () => {
    const id = await newIncident();
    const upload = multipart({ collectedAt: '2026-04-18T10:00:00+08:00', origin: 'app-server:/var/log/auth.log', timeZone: 'Asia/Shanghai' }, { name: 'auth.log.gz', content: gzipSync(AUTH_LOG) });
    const res = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/evidence`, headers: { cookie: responder, ...upload.headers }, payload: upload.payload });
    expect(res.statusCode, res.body).toBe(201);
    const { evidence, report } = res.json();
    expect(evidence).toMatchObject({ filename: 'auth.log.gz', gzip: true, origin: 'app-server:/var/log/auth.log', exercise: false, status: 'parsed' });
    expect(report).toMatchObject({ parser: 'auth', lines: 4, events: 3, unparsed: 1, unparsedLines: [4] });

    const search = await t.app.inject({ method: 'GET', url: `/api/cases/${id}/events?ip=103.115.0.0/16&type=auth.success`, headers: { cookie: observer } });
    expect(search.statusCode, search.body).toBe(200);
    expect(search.json()).toMatchObject({ total: 1, events: [{ user: 'root', srcIp: '103.115.153.27', time: '2026-04-17T15:31:32.000Z' }] });
    const raw = await t.app.inject({ method: 'GET', url: `/api/events/${search.json().events[0].id}/raw`, headers: { cookie: observer } });
    expect(raw.json().text).toBe('Apr 17 23:31:32 app-server sshd[16182]: Accepted password for root from 103.115.153.27 port 51544 ssh2');

    const download = await t.app.inject({ method: 'GET', url: `/api/evidence/${evidence.id}/download`, headers: { cookie: observer } });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(gzipSync(AUTH_LOG))).toBe(true);
    const detail = await t.app.inject({ method: 'GET', url: `/api/evidence/${evidence.id}`, headers: { cookie: observer } });
    expect(detail.json().custody.map((c: { action: string }) => c.action)).toEqual(['collected', 'parsed', 'viewed', 'downloaded']);

    const histogram = await t.app.inject({ method: 'GET', url: `/api/cases/${id}/events/histogram`, headers: { cookie: observer } });
    expect(histogram.json().buckets.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(3);
  });

  it('exports a ZIP bundle that sha256sum -c verifies, recorded in custody; only roles that may export get it', async () => {
    const id = await newIncident();
    for (const [name, content] of [['auth.log', AUTH_LOG], ['auth.log.gz', gzipSync(AUTH_LOG)], ['认证 日志.log', Buffer.concat([AUTH_LOG, AUTH_LOG])]] as const) {
      const upload = multipart({}, { name, content });
      expect((await t.app.inject({ method: 'POST', url: `/api/cases/${id}/evidence`, headers: { cookie: admin, ...upload.headers }, payload: upload.payload })).statusCode).toBe(201);
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/cases/${id}/evidence/export`, headers: { cookie: responder } })).statusCode).toBe(403);
    const res = await t.app.inject({ method: 'GET', url: `/api/cases/${id}/evidence/export`, headers: { cookie: admin } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="evidence-[0-9a-f]{8}\.zip"$/);

    // Unpacked with an independent reader, then checked the way a third party would: sha256sum -c.
    const dir = mkdtempSync(join(tmpdir(), 'firedrill-bundle-'));
    try {
      const names = await unzipTo(res.rawPayload, dir);
      expect(names.sort()).toEqual(['SHA256SUMS', 'files/auth.log', 'files/auth.log.gz', 'files/认证_日志.log', 'manifest.json']);
      expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toMatch(/files\/auth\.log: OK/);
      expect(readFileSync(join(dir, 'files/auth.log.gz')).equals(gzipSync(AUTH_LOG))).toBe(true);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      expect(manifest.files).toHaveLength(3);
      expect(manifest.files[0].custody.map((c: { action: string }) => c.action)).toEqual(['collected', 'parsed', 'exported']);
      // A tampered file fails the check.
      writeFileSync(join(dir, 'files/auth.log'), 'edited');
      expect(() => execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir, stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows a finding's events", async () => {
    const id = await newIncident();
    const upload = multipart({}, { name: 'auth.log', content: AUTH_LOG });
    expect((await t.app.inject({ method: 'POST', url: `/api/cases/${id}/evidence`, headers: { cookie: admin, ...upload.headers }, payload: upload.payload })).statusCode).toBe(201);
    const made = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/findings`, headers: { cookie: responder }, payload: { text: 'root 口令登录', query: { user: 'root' } } });
    expect(made.statusCode, made.body).toBe(201);
    const res = await t.app.inject({ method: 'GET', url: `/api/cases/${id}/findings/${made.json().entryId}/events`, headers: { cookie: observer } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().finding.text).toBe('root 口令登录');
    expect(res.json().events.map((e: { user: string }) => e.user)).toEqual(['root', 'root']);
    const missing = await t.app.inject({ method: 'GET', url: `/api/cases/${id}/findings/${randomUUID()}/events`, headers: { cookie: observer } });
    expect(missing.statusCode).toBe(404);
  });

  it('makes a finding from picked events with the severity the responder judged; an observer cannot', async () => {
    const id = await newIncident();
    const upload = multipart({ collectedAt: '2026-04-18T10:00:00+08:00' }, { name: 'auth.log', content: AUTH_LOG });
    expect((await t.app.inject({ method: 'POST', url: `/api/cases/${id}/evidence`, headers: { cookie: admin, ...upload.headers }, payload: upload.payload })).statusCode).toBe(201);
    const events = (await t.app.inject({ method: 'GET', url: `/api/cases/${id}/events?user=root`, headers: { cookie: responder } })).json().events as { id: number }[];
    expect(events.length).toBe(2);
    const body = { text: 'root 从境外地址登录', eventIds: events.map((e) => e.id), severity: 'high' };
    const made = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/findings`, headers: { cookie: responder }, payload: body });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().evidence).toMatchObject({ eventIds: events.map((e) => e.id), total: 2, severity: 'high' });
    const listed = (await t.app.inject({ method: 'GET', url: `/api/cases/${id}/findings`, headers: { cookie: observer } })).json().findings;
    expect(listed.map((f: { evidence: { severity?: string } }) => f.evidence.severity)).toEqual(['high']);
    expect((await t.app.inject({ method: 'POST', url: `/api/cases/${id}/findings`, headers: { cookie: responder }, payload: { ...body, severity: 'severe' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `/api/cases/${id}/findings`, headers: { cookie: observer }, payload: body })).statusCode).toBe(403);
  });

  it('refuses a file over the size limit and one without a file, storing nothing; an observer cannot upload', async () => {
    const id = await newIncident();
    const big = multipart({}, { name: 'big.log', content: Buffer.concat(Array.from({ length: 4000 }, () => AUTH_LOG)) });
    const res = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/evidence`, headers: { cookie: admin, ...big.headers }, payload: big.payload });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('evidence_too_large');
    const none = multipart({ origin: 'x' }, null);
    expect((await t.app.inject({ method: 'POST', url: `/api/cases/${id}/evidence`, headers: { cookie: admin, ...none.headers }, payload: none.payload })).json().error.code).toBe('evidence_file_missing');
    const json = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/evidence`, headers: { cookie: admin }, payload: { file: 'x' } });
    expect(json.json().error.code).toBe('evidence_multipart_required');
    const bad = multipart({ timeZone: 'Asia/Shanghai', parser: 'nonsense' }, { name: 'a.log', content: AUTH_LOG });
    const badRes = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/evidence`, headers: { cookie: admin, ...bad.headers, 'accept-language': 'zh-CN' }, payload: bad.payload });
    expect(badRes.statusCode).toBe(400);
    expect(badRes.json().error.message).toContain('parser');
    const small = multipart({}, { name: 'a.log', content: AUTH_LOG });
    expect((await t.app.inject({ method: 'POST', url: `/api/cases/${id}/evidence`, headers: { cookie: observer, ...small.headers }, payload: small.payload })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/cases/${id}/evidence`, headers: { cookie: admin } })).json().evidence).toEqual([]);
  });

  it('keeps uploaded Sigma rules, names the line of a broken one, and switches bundled rules off', async () => {
    const rule = `title: Root login from a documentation network\nid: 5d2e0b55-0f7c-4a39-9c6e-8b8d7f2a1c01\nstatus: test\nlogsource:\n  product: linux\n  service: auth\ndetection:\n  selection:\n    User: root\n    SourceIp|cidr: 103.115.0.0/16\n  condition: selection\nlevel: high\n`;
    const added = await t.app.inject({ method: 'POST', url: '/api/rules', headers: { cookie: admin }, payload: { source: rule } });
    expect(added.statusCode, added.body).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/api/rules', headers: { cookie: admin }, payload: { source: rule } })).json().error.code).toBe('rule_exists');
    const broken = await t.app.inject({ method: 'POST', url: '/api/rules', headers: { cookie: admin }, payload: { source: 'title: x\nid: 1\ndetection:\n  selection:\n    User|nosuchmodifier: root\n  condition: selection\nlogsource: {product: linux}\n' } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toMatch(/^rule_/);
    const rules = (await t.app.inject({ method: 'GET', url: '/api/rules', headers: { cookie: observer } })).json().rules as { id: string; name: string | null; origin: string; enabled: boolean }[];
    expect(rules.filter((r) => r.origin === 'bundled').length).toBeGreaterThanOrEqual(11);
    const offHours = rules.find((r) => r.name === 'admin_login_off_hours')!;
    const off = await t.app.inject({ method: 'PATCH', url: `/api/rules/${offHours.id}`, headers: { cookie: admin }, payload: { enabled: false } });
    expect(off.json().enabled).toBe(false);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/rules/${offHours.id}`, headers: { cookie: admin } })).json().error.code).toBe('rule_bundled');

    const id = await newIncident();
    const upload = multipart({ collectedAt: '2026-04-18T10:00:00+08:00' }, { name: 'auth.log', content: AUTH_LOG });
    await t.app.inject({ method: 'POST', url: `/api/cases/${id}/evidence`, headers: { cookie: admin, ...upload.headers }, payload: upload.payload });
    const run = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/detections`, headers: { cookie: responder } });
    expect(run.statusCode, run.body).toBe(200);
    const titles = run.json().created.map((f: { evidence: { rule: { title: string } } }) => f.evidence.rule.title);
    expect(titles).toContain('Root login from a documentation network');
    expect(titles).not.toContain('Administrator login outside office hours');
    await t.app.inject({ method: 'PATCH', url: `/api/rules/${offHours.id}`, headers: { cookie: admin }, payload: { enabled: true } });
  });
});

describe("a drill's technical inject", () => {
  it('generates the evidence for the drill, and hides what the attacker did from responders until the drill ends', async () => {
    const ctx = systemContext(t.database.db, t.clock);
    const scenario = await findScenarioByKey(t.database.db, 'seed-password-leak');
    const drill = await createDrill(ctx, CreateDrillBody.parse({ title: '技术注入演练', mode: 'hands_on', scope: 'single_topic', scenarioId: scenario!.id, scheduledStart: new Date().toISOString() }));
    expect((await t.app.inject({ method: 'POST', url: `/api/drills/${drill.id}/traces`, headers: { cookie: responder }, payload: {} })).statusCode).toBe(403);
    const generated = await t.app.inject({ method: 'POST', url: `/api/drills/${drill.id}/traces`, headers: { cookie: admin }, payload: { seed: 'http-test', scale: 0.2 } });
    expect(generated.statusCode, generated.body).toBe(201);
    expect(generated.json()).toMatchObject({ scenarioKey: 'seed-password-leak', seed: 'http-test', steps: 3 });
    expect(generated.json()).not.toHaveProperty('truth');
    expect((await t.app.inject({ method: 'POST', url: `/api/drills/${drill.id}/traces`, headers: { cookie: admin }, payload: {} })).json().error.code).toBe('drill_traces_exist');
    const evidence = (await t.app.inject({ method: 'GET', url: `/api/cases/${drill.id}/evidence`, headers: { cookie: responder } })).json().evidence;
    expect(evidence.length).toBe(7);
    expect(evidence.every((e: { exercise: boolean; generated: boolean }) => e.exercise && e.generated)).toBe(true);

    await transitionDrill(ctx, drill.id, 'approve');
    await transitionDrill(ctx, drill.id, 'start');
    for (const path of ['truth', 'score']) {
      expect((await t.app.inject({ method: 'GET', url: `/api/drills/${drill.id}/traces/${path}`, headers: { cookie: responder } })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: `/api/drills/${drill.id}/traces/${path}`, headers: { cookie: observer } })).statusCode).toBe(200);
    }
    await transitionDrill(ctx, drill.id, 'end');
    const truth = await t.app.inject({ method: 'GET', url: `/api/drills/${drill.id}/traces/truth`, headers: { cookie: responder } });
    expect(truth.statusCode).toBe(200);
    expect(truth.json().steps.map((s: { key: string }) => s.key)).toEqual(['illegal-login', 'balance-tampering', 'payout-path']);
    const score = await t.app.inject({ method: 'GET', url: `/api/drills/${drill.id}/traces/score`, headers: { cookie: responder } });
    expect(score.json()).toMatchObject({ found: 0, missed: 3, total: 3 });
  }, 120_000);
});
