import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TimelineBus } from './bus.js';

const HEARTBEAT_MS = 15_000;

/**
 * Streams a timeline as server-sent events: every stored entry after the client's Last-Event-ID (or
 * `after`), then each new one as it commits. Entry ids are their seq, so a client that reconnects with
 * Last-Event-ID misses nothing and sees nothing twice.
 */
export function streamTimeline(request: FastifyRequest, reply: FastifyReply, bus: TimelineBus, streamId: string, after?: number): FastifyReply {
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
  const unsubscribe = bus.subscribe(streamId, afterSeq, (entry) => {
    res.write(`id: ${entry.seq}\nevent: entry\ndata: ${JSON.stringify(entry)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  request.raw.once('close', close);
  res.once('close', close);
  return reply;
}
