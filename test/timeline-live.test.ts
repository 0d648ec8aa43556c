/**
 * The live timeline (server-sent events) against a real listening server: entries arrive in order with
 * id = seq, a reconnect with Last-Event-ID gets exactly what it missed, every subscriber gets every entry,
 * corrections arrive as new entries, and (on PostgreSQL) an entry appended by another process reaches this
 * one's subscribers through NOTIFY.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { openDatabase, type Database } from '../src/db/index.js';
import { buildApp, type App } from '../src/http/app.js';
import { addDrillEntry } from '../src/modules/drills/service.js';
import { TimelineBus } from '../src/modules/timeline/bus.js';
import { systemContext } from './factories.js';
import { buildTestApp, signIn, type TestApp } from './helpers/app.js';
import { testDbKind } from './helpers/db.js';

const WAIT_MS = 10_000;

interface SseEvent {
  id: number;
  event: string;
  entry: { id: string; seq: number; kind: string; text: string; correctsId: string | null; [k: string]: unknown };
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
async function until(check: () => boolean | Promise<boolean>, what: () => string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

const openClients = new Set<SseClient>();

/** A minimal EventSource over node:http that records every `entry` event it receives. */
class SseClient {
  readonly events: SseEvent[] = [];
  private buffer = '';
  private closed?: Promise<void>;

  private constructor(
    private readonly request: http.ClientRequest,
    readonly response: http.IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.parse(chunk));
    this.closed = new Promise((resolve) => request.once('close', () => resolve()));
    openClients.add(this);
  }

  /** Opens the stream; resolves once the response headers arrived (the server has subscribed by then). */
  static open(base: string, path: string, headers: Record<string, string>): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const request = http.get(`${base}${path}`, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (response) => {
        if (response.statusCode !== 200) {
          let body = '';
          response.setEncoding('utf8').on('data', (c: string) => (body += c));
          response.on('end', () => reject(new Error(`GET ${path}: ${response.statusCode} ${body}`)));
          return;
        }
        resolve(new SseClient(request, response));
      });
      request.once('error', reject);
      request.setTimeout(WAIT_MS * 3, () => request.destroy(new Error('SSE request timed out')));
    });
  }

  private parse(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') id = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length) this.events.push({ id: Number(id), event, entry: JSON.parse(data.join('\n')) });
    }
  }

  ids(): number[] {
    return this.events.map((e) => e.id);
  }

  lastId(): number {
    return this.events.at(-1)?.id ?? 0;
  }

  /** Waits until an event with this seq arrived. */
  async waitForSeq(seq: number): Promise<void> {
    await until(
      () => this.events.some((e) => e.id === seq),
      () => `seq ${seq} (received ${JSON.stringify(this.ids())})`,
    );
  }

  async close(): Promise<void> {
    this.request.destroy();
    await this.closed;
    openClients.delete(this);
  }
}

/** The drill ids seen by an SSE client must be exactly from+1 … to, in order, each event's id its entry's seq. */
function expectContiguous(client: SseClient, from: number, to: number): void {
  expect(client.ids()).toEqual(Array.from({ length: to - from }, (_, i) => from + 1 + i));
  for (const e of client.events) {
    expect(e.event).toBe('entry');
    expect(e.entry.seq).toBe(e.id);
  }
}

describe(`live timeline (SSE) on ${testDbKind}`, () => {
  let t: TestApp;
  let base: string;
  let cookie: string;
  let drillId: string;
  let other: { app: App; database: Database } | undefined;

  async function post(path: string, payload: unknown, app: App = t.app): Promise<any> {
    const response = await app.inject({ method: 'POST', url: path, headers: { cookie }, payload: payload as object });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json();
  }

  async function appendAction(text: string, app: App = t.app): Promise<{ id: string; seq: number; text: string }> {
    return post(`/api/drills/${drillId}/timeline`, { kind: 'action', text }, app);
  }

  /** The newest seq on the drill's timeline, read through the API. */
  async function headSeq(): Promise<number> {
    const response = await t.app.inject({ method: 'GET', url: `/api/drills/${drillId}/timeline`, headers: { cookie } });
    expect(response.statusCode).toBe(200);
    return Math.max(0, ...response.json().entries.map((e: { seq: number }) => e.seq));
  }

  function subscribe(headers: Record<string, string> = {}, query = ''): Promise<SseClient> {
    return SseClient.open(base, `/api/drills/${drillId}/timeline/stream${query}`, { cookie, ...headers });
  }

  beforeAll(async () => {
    t = await buildTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    ({ cookie } = await signIn(t, 'coordinator'));
    const drill = await post('/api/drills', { title: 'Live timeline', mode: 'simulated', scope: 'single_topic', injects: [] });
    drillId = drill.id;
    await post(`/api/drills/${drillId}/transitions/approve`, {});
    await post(`/api/drills/${drillId}/transitions/start`, {});
  });

  afterAll(async () => {
    await Promise.all([...openClients].map((c) => c.close()));
    if (other) {
      await other.app.close();
      await other.database.close();
    }
    await t?.close();
  });

  it('streams stored then new entries in order, id = seq, including concurrent appends', async () => {
    const client = await subscribe();
    // The start wrote seq 1 (status_change); a subscriber from 0 catches up on it first.
    await client.waitForSeq(1);
    expect(client.events[0].entry.kind).toBe('status_change');

    const sequential = [];
    for (let i = 0; i < 5; i++) sequential.push(await appendAction(`sequential ${i}`));
    const concurrent = await Promise.all(Array.from({ length: 8 }, (_, i) => appendAction(`concurrent ${i}`)));
    const last = Math.max(...[...sequential, ...concurrent].map((e) => e.seq));
    await client.waitForSeq(last);

    expectContiguous(client, 0, last);
    // Each appended entry arrived with the seq and text the POST returned.
    for (const appended of [...sequential, ...concurrent]) {
      const got = client.events.find((e) => e.id === appended.seq);
      expect(got?.entry.id).toBe(appended.id);
      expect(got?.entry.text).toBe(appended.text);
    }
    expect(client.response.headers['content-type']).toMatch(/^text\/event-stream/);
    await client.close();
  });

  it('a reconnect with Last-Event-ID receives exactly the entries missed, no duplicates, no gaps', async () => {
    const first = await subscribe();
    await appendAction('before the disconnect');
    const seen = await headSeq();
    await first.waitForSeq(seen);
    expectContiguous(first, 0, seen);
    await first.close();

    const missed = [];
    for (let i = 0; i < 3; i++) missed.push(await appendAction(`missed ${i}`));
    expect(missed.map((e) => e.seq)).toEqual([seen + 1, seen + 2, seen + 3]);

    const again = await subscribe({ 'last-event-id': String(first.lastId()) });
    await again.waitForSeq(seen + 3);
    // One more live entry: it follows the missed ones directly, and nothing older arrives with it.
    const live = await appendAction('after the reconnect');
    await again.waitForSeq(live.seq);
    expectContiguous(again, seen, live.seq);
    expect(again.events.map((e) => e.entry.text)).toEqual(['missed 0', 'missed 1', 'missed 2', 'after the reconnect']);

    // ?after= resumes the same way (for clients that cannot set headers).
    const byQuery = await subscribe({}, `?after=${seen + 2}`);
    await byQuery.waitForSeq(live.seq);
    expectContiguous(byQuery, seen + 2, live.seq);
    await Promise.all([again.close(), byQuery.close()]);
  });

  it('two concurrent subscribers both receive every entry', async () => {
    const from = await headSeq();
    const a = await subscribe({ 'last-event-id': String(from) });
    const b = await subscribe({ 'last-event-id': String(from) });
    const appended = await Promise.all(Array.from({ length: 10 }, (_, i) => appendAction(`both ${i}`)));
    const last = Math.max(...appended.map((e) => e.seq));
    await Promise.all([a.waitForSeq(last), b.waitForSeq(last)]);
    expectContiguous(a, from, last);
    expectContiguous(b, from, last);
    expect(b.events.map((e) => e.entry.id)).toEqual(a.events.map((e) => e.entry.id));
    await Promise.all([a.close(), b.close()]);
  });

  it('subscribers joining at once with different Last-Event-IDs each get everything after their own', async () => {
    // Each new subscriber starts a catch-up read on the stream's bus; one joining while another's read is
    // under way must still be served from its own Last-Event-ID, not from where that read started.
    const head = await headSeq();
    expect(head).toBeGreaterThan(5);
    for (let round = 0; round < 8; round++) {
      const resumes = [head - 1, 0, head - 3, 2];
      const clients = await Promise.all(resumes.map((after) => subscribe({ 'last-event-id': String(after) })));
      await Promise.all(clients.map((c) => c.waitForSeq(head)));
      const extra = await appendAction(`joined together ${round}`);
      await Promise.all(clients.map((c) => c.waitForSeq(extra.seq)));
      clients.forEach((c, i) => expectContiguous(c, resumes[i], extra.seq));
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it("the process's bus serves a subscriber that joins during another's read from its own position", async () => {
    // Deterministic form of the case above, on the bus itself: B subscribes (from 0) while the read that A's
    // subscription (from head-1) started is still awaiting the database.
    const head = await headSeq();
    const bus = new TimelineBus(t.database);
    await bus.start();
    try {
      const a: number[] = [];
      const b: number[] = [];
      bus.subscribe(drillId, head - 1, (e) => a.push(e.seq));
      bus.subscribe(drillId, 0, (e) => b.push(e.seq));
      await until(
        () => a.length >= 1 && b.length >= head,
        () => `a=${JSON.stringify(a)} b=${JSON.stringify(b)}`,
        3000,
      ).catch(() => {});
      expect(a).toEqual([head]);
      expect(b).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    } finally {
      await bus.stop();
    }
  });

  it('a correction arrives as a new entry and the timeline shows correctedBy on the original', async () => {
    const from = await headSeq();
    const client = await subscribe({ 'last-event-id': String(from) });
    const original = await appendAction('Isolated host 10.0.0.5');
    const correction = await post(`/api/drills/${drillId}/timeline`, { kind: 'action', text: 'Isolated host 10.0.0.6 (not .5)', correctsId: original.id });
    expect(correction.seq).toBe(original.seq + 1);
    expect(correction.correctsId).toBe(original.id);
    await client.waitForSeq(correction.seq);
    expectContiguous(client, from, correction.seq);
    const received = client.events.at(-1)!.entry;
    expect(received.id).toBe(correction.id);
    expect(received.correctsId).toBe(original.id);

    const response = await t.app.inject({ method: 'GET', url: `/api/drills/${drillId}/timeline`, headers: { cookie } });
    const entries: { id: string; text: string; correctedBy: string | null; correctsId: string | null }[] = response.json().entries;
    const before = entries.find((e) => e.id === original.id)!;
    // The original stays as written (append-only) and points at its correction.
    expect(before.text).toBe('Isolated host 10.0.0.5');
    expect(before.correctedBy).toBe(correction.id);
    expect(entries.find((e) => e.id === correction.id)?.correctedBy).toBeNull();
    await client.close();

    // A correction must target an entry of this timeline.
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/drills/${drillId}/timeline`,
      headers: { cookie },
      payload: { kind: 'action', text: 'bogus', correctsId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('correction_target_unknown');
  });

  it(`an entry written elsewhere reaches this server's subscribers (${testDbKind === 'postgres' ? 'another process on the same database, via NOTIFY' : 'a write outside HTTP, via the in-process NOTIFY'})`, async () => {
    const from = await headSeq();
    const client = await subscribe({ 'last-event-id': String(from) });
    if (testDbKind === 'postgres') {
      // A second application on its own pool and LISTEN connection: what a second `serve` process has.
      const database = await openDatabase({ databaseUrl: t.database.url!, poolSize: 3 });
      const app = await buildApp({ database, config: t.config, clock: systemClock, logger: false, scheduler: false });
      other = { app, database };
      await app.listen({ port: 0, host: '127.0.0.1' });
      const otherBase = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

      // Written on the second app, read live on the first.
      const there = await appendAction('written on the other process', app);
      await client.waitForSeq(there.seq);
      expect(client.events.at(-1)!.entry.id).toBe(there.id);

      // And the other way round: a subscriber of the second app sees what the first one writes.
      const remote = await SseClient.open(otherBase, `/api/drills/${drillId}/timeline/stream`, { cookie, 'last-event-id': String(there.seq) });
      const here = await appendAction('written on the first process');
      await remote.waitForSeq(here.seq);
      await client.waitForSeq(here.seq);
      expectContiguous(remote, there.seq, here.seq);
      expectContiguous(client, from, here.seq);
      await remote.close();
    } else {
      // PGlite is one process's database; the write comes through the service layer instead of HTTP.
      const entry = await addDrillEntry(systemContext(t.database.db), drillId, { kind: 'decision', text: 'written outside HTTP' });
      await client.waitForSeq(entry.seq);
      expectContiguous(client, from, entry.seq);
      expect(client.events.at(-1)!.entry).toMatchObject({ id: entry.id, kind: 'decision', text: 'written outside HTTP' });
    }
    await client.close();
  });
});
