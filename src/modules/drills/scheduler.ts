import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../clock.js';
import { systemActor } from '../../context.js';
import type { Database } from '../../db/index.js';
import { deliverDueInjects } from './service.js';

/** The advisory lock whose holder is the one process that fires injects. */
export const SCHEDULER_LOCK_KEY = 0x46444a53;

/**
 * Delivers scheduled injects when their drill time comes. Every process runs one; only the holder of the
 * advisory lock (one process per database) delivers, and each inject's delivery is a conditional update in
 * the same transaction as its timeline entry, so nothing is lost or delivered twice across restarts.
 */
export class InjectScheduler {
  private timer?: NodeJS.Timeout;
  private busy = false;
  private stopped = false;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly log?: FastifyBaseLogger,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
  }

  /** One pass: deliver what is due, if this process leads. Returns how many injects it delivered. */
  async tick(): Promise<number> {
    if (this.busy || this.stopped) return 0;
    this.busy = true;
    try {
      if (!(await this.database.holdsLock(SCHEDULER_LOCK_KEY))) return 0;
      return await deliverDueInjects({ db: this.database.db, clock: this.clock, actor: systemActor('scheduler') });
    } catch (err) {
      this.log?.error({ err }, 'inject scheduler pass failed');
      return 0;
    } finally {
      this.busy = false;
    }
  }
}
