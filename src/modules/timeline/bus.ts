import type { Database } from '../../db/index.js';
import type { TimelineEntry } from './schema.js';
import { listEntries, TIMELINE_CHANNEL } from './service.js';

type Listener = (entry: TimelineEntry) => void;

const READ_BATCH = 1000;

interface Subscriber {
  lastSeq: number;
  listener: Listener;
  /** Called when the bus stops (server shutdown): the subscriber closes its connection. */
  onStop?: () => void;
}

/**
 * Live timeline fan-out. Every append NOTIFYs on commit; this bus (one per process) hears it, reads the new
 * entries once per stream, and hands them to that stream's subscribers (SSE connections). Subscribers
 * never see an entry twice or out of order: each keeps the last seq it was given.
 */
export class TimelineBus {
  private readonly streams = new Map<string, Set<Subscriber>>();
  /** Streams with a read under way, and whether another notification arrived meanwhile. */
  private readonly reading = new Map<string, boolean>();
  private stopListening?: () => Promise<void>;

  constructor(private readonly database: Database) {}

  async start(): Promise<void> {
    this.stopListening = await this.database.listen(
      TIMELINE_CHANNEL,
      (payload) => {
        const streamId = payload.split(':')[0];
        if (this.streams.has(streamId)) this.refresh(streamId);
      },
      // Notifications sent while the listening connection was down are lost: re-read every stream.
      () => {
        for (const streamId of this.streams.keys()) this.refresh(streamId);
      },
    );
  }

  async stop(): Promise<void> {
    await this.stopListening?.();
    for (const set of this.streams.values()) for (const s of set) s.onStop?.();
    this.streams.clear();
  }

  /**
   * Subscribes to a stream from `afterSeq` on: first the entries already stored after it (catch-up, e.g. a
   * reconnecting client's Last-Event-ID), then every new one. Returns the function that unsubscribes.
   */
  subscribe(streamId: string, afterSeq: number, listener: Listener, onStop?: () => void): () => void {
    const subscriber: Subscriber = { lastSeq: afterSeq, listener, onStop };
    let set = this.streams.get(streamId);
    if (!set) this.streams.set(streamId, (set = new Set()));
    set.add(subscriber);
    this.refresh(streamId);
    return () => {
      set!.delete(subscriber);
      if (set!.size === 0) this.streams.delete(streamId);
    };
  }

  subscriberCount(streamId: string): number {
    return this.streams.get(streamId)?.size ?? 0;
  }

  private refresh(streamId: string): void {
    if (this.reading.has(streamId)) {
      this.reading.set(streamId, true);
      return;
    }
    this.reading.set(streamId, false);
    void this.read(streamId);
  }

  private async read(streamId: string): Promise<void> {
    try {
      for (;;) {
        const set = this.streams.get(streamId);
        if (!set || set.size === 0) break;
        const from = Math.min(...[...set].map((s) => s.lastSeq));
        const entries = await listEntries(this.database.db, streamId, from, READ_BATCH);
        for (const subscriber of set) {
          // Joined while this read was under way, from further back: the re-read (already flagged) serves it.
          if (subscriber.lastSeq < from) continue;
          for (const entry of entries) {
            if (entry.seq > subscriber.lastSeq) {
              subscriber.lastSeq = entry.seq;
              subscriber.listener(entry);
            }
          }
        }
        if (entries.length === READ_BATCH) continue; // more to catch up on
        if (!this.reading.get(streamId)) break;
        this.reading.set(streamId, false);
      }
    } catch {
      // The database went away (shutdown) or a read failed: the next notification or reconnect catches up.
    } finally {
      this.reading.delete(streamId);
    }
  }
}
