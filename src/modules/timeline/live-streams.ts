import type { Clock } from '../../clock.js';
import type { Db } from '../../db/types.js';
import { keepSessionsAlive, type AuthSettings } from '../auth/service.js';

interface Connection {
  sessionId: string | null;
  write(chunk: string): void;
  end(): void;
}

/**
 * The open live streams of this process, with one heartbeat for all of them: a keep-alive line to each, and
 * one query that re-checks their sessions — a stream whose session was revoked or expired is closed, and an
 * open console (or a wall screen) counts as activity for the idle timeout.
 */
export class LiveStreams {
  private readonly connections = new Set<Connection>();
  private timer?: NodeJS.Timeout;
  private beating = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: AuthSettings & { sseHeartbeatMs: number },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.beat(), this.settings.sseHeartbeatMs);
    this.timer.unref();
  }

  /** Registers an open stream; returns the function that forgets it. */
  add(connection: Connection): () => void {
    this.connections.add(connection);
    return () => this.connections.delete(connection);
  }

  get size(): number {
    return this.connections.size;
  }

  async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      const open = [...this.connections];
      for (const c of open) c.write(': keep-alive\n\n');
      const ids = [...new Set(open.map((c) => c.sessionId).filter((id): id is string => id !== null))];
      const valid = await keepSessionsAlive(this.db, this.clock, this.settings, ids);
      for (const c of open) if (c.sessionId && !valid.has(c.sessionId)) c.end();
    } catch {
      // The database is unreachable for a moment: keep the streams, check again at the next beat.
    } finally {
      this.beating = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    for (const c of this.connections) c.end();
    this.connections.clear();
  }
}
