import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signIn, type TestApp } from './helpers/app.js';

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await buildTestApp({ config: { sseHeartbeatMs: 200 } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t?.close();
});

/** Opens an SSE stream; resolves when the server ends it, with what it sent. */
function openStream(url: string, cookie: string): { ended: Promise<string>; abort(): void } {
  let body = '';
  let abort = () => {};
  const ended = new Promise<string>((resolve, reject) => {
    const req = httpRequest(url, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
      res.on('error', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
    abort = () => req.destroy();
  });
  return { ended, abort };
}

describe('a live timeline stream and its session', () => {
  it('ends when the session is revoked, instead of streaming on', async () => {
    const admin = await signIn(t, 'admin');
    const watcher = await signIn(t, 'observer');
    const drill = (
      await t.app.inject({ method: 'POST', url: '/api/drills', payload: { title: 'SSE', mode: 'tabletop', scope: 'single_topic' }, headers: { cookie: admin.cookie } })
    ).json();
    const stream = openStream(`${base}/api/drills/${drill.id}/timeline/stream`, watcher.cookie);
    const stillOpen = await Promise.race([stream.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('open'), 700))]);
    expect(stillOpen).toBe('open');
    await t.app.inject({ method: 'POST', url: `/api/users/${watcher.userId}/revoke-sessions`, headers: { cookie: admin.cookie } });
    const body = await Promise.race([stream.ended, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('stream still open 3 s after revocation')), 3000))]);
    expect(body).toContain(': keep-alive');
  });

  it('ends when the server shuts down, so shutdown does not wait for open consoles', async () => {
    const other = await buildTestApp();
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(other.app.server.address() as AddressInfo).port}`;
    const admin = await signIn(other, 'admin');
    const drill = (await other.app.inject({ method: 'POST', url: '/api/drills', payload: { title: 'SSE', mode: 'tabletop', scope: 'single_topic' }, headers: { cookie: admin.cookie } })).json();
    const stream = openStream(`${url}/api/drills/${drill.id}/timeline/stream`, admin.cookie);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await other.close();
    await stream.ended;
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
