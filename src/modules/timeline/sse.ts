import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthSettings } from '../auth/service.js';
import { keepSessionAlive } from '../auth/service.js';
import type { TimelineBus } from './bus.js';
import type { TimelineEntry } from './schema.js';

/**
 * Streams a timeline as server-sent events: every stored entry after the client's Last-Event-ID (or
 * `after`), then each new one as it commits. Entry ids are their seq, so a client that reconnects with
 * Last-Event-ID misses nothing and sees nothing twice.
 */
export function streamTimeline(
  request: FastifyRequest,
  reply: FastifyReply,
  bus: TimelineBus,
  settings: AuthSettings & { sseHeartbeatMs: number },
  streamId: string,
  after?: number,
  visible: (entry: TimelineEntry) => boolean = () => true,
): FastifyReply {
  const header = Number(request.headers['last-event-id']);
  const afterSeq = Number.isInteger(header) && header >= 0 ? header : (after ?? 0);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Tell proxies (nginx) not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const unsubscribe = bus.subscribe(
    streamId,
    afterSeq,
    // Entries the caller may not read are skipped but keep their seq: Last-Event-ID stays correct.
    (entry) => (visible(entry) ? res.write(`id: ${entry.seq}\nevent: entry\ndata: ${JSON.stringify(entry)}\n\n`) : undefined),
    () => res.end(),
  );
  // The heartbeat also re-checks the session: a stream ends when its session is revoked or expires, and an
  // open console (or a wall screen) counts as activity for the idle timeout.
  const sessionId = request.auth?.sessionId;
  const heartbeat = setInterval(() => {
    res.write(': keep-alive\n\n');
    if (!sessionId) return;
    keepSessionAlive(request.ctx.db, request.ctx.clock, settings, sessionId).then(
      (valid) => {
        if (!valid) res.end();
      },
      () => res.end(),
    );
  }, settings.sseHeartbeatMs);
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  request.raw.once('close', close);
  res.once('close', close);
  return reply;
}
