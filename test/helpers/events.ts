import { randomUUID } from 'node:crypto';
import { evidenceEvents } from '../../src/modules/evidence/schema.js';
import type { EventType, FieldValue, Outcome } from '../../src/modules/evidence/event.js';
import type { Db } from '../../src/db/types.js';

/** A LocatedEvent-like row for tests: only what a test cares about; the rest gets defaults. */
export interface TestEvent {
  /** ISO time (with offset) or ms since the epoch; null for none. */
  time?: string | number | null;
  host?: string | null;
  source?: string;
  type?: EventType;
  user?: string | null;
  srcIp?: string | null;
  target?: string | null;
  action?: string | null;
  outcome?: Outcome | null;
  message?: string;
  fields?: Record<string, FieldValue>;
  lineNo?: number;
}

/**
 * Inserts events into evidence_events for an incident (one made-up evidence file) and returns their ids in order.
 */
export async function insertEvents(db: Db, incidentId: string, events: TestEvent[], evidenceId = randomUUID()): Promise<number[]> {
  if (events.length === 0) return [];
  const ids: number[] = [];
  for (let start = 0; start < events.length; start += 1000) {
    const rows = events.slice(start, start + 1000).map((e, i) => ({
      incidentId,
      evidenceId,
      time: e.time === null || e.time === undefined ? null : new Date(e.time),
      host: e.host ?? 'web-01',
      source: e.source ?? 'sshd',
      type: e.type ?? 'log',
      userName: e.user ?? null,
      srcIp: e.srcIp ?? null,
      target: e.target ?? null,
      action: e.action ?? null,
      outcome: e.outcome ?? null,
      message: e.message ?? '',
      fields: e.fields ?? {},
      lineNo: e.lineNo ?? start + i + 1,
      rawOffset: (start + i) * 100,
      rawLength: 99,
    }));
    const inserted = await db.insert(evidenceEvents).values(rows).returning({ id: evidenceEvents.id });
    ids.push(...inserted.map((r) => Number(r.id)));
  }
  return ids;
}
