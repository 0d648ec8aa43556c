import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TimelineBus } from './bus.js';
import type { LiveStreams } from './live-streams.js';
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
  live: LiveStreams,
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
  // One heartbeat for all streams of the process re-checks this stream's session (live-streams.ts).
  const forget = live.add({ sessionId: request.auth?.sessionId ?? null, write: (chunk) => res.write(chunk), end: () => res.end() });
  const close = () => {
    forget();
    unsubscribe();
  };
  request.raw.once('close', close);
  res.once('close', close);
  return reply;
}
