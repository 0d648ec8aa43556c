import type { Clock } from './clock.js';
import type { Db } from './db/types.js';
import type { Role } from './modules/auth/permissions.js';

/** Who is acting: a signed-in user, or the system (CLI, schedulers, first-run setup). */
export type Actor =
  | { kind: 'user'; userId: string; login: string; role: Role; /** Display name, for records people read. */ name?: string }
  | { kind: 'system'; label: string };

/** What every service function receives (CONVENTIONS §3). */
export interface ServiceContext {
  db: Db;
  clock: Clock;
  actor: Actor;
  requestId?: string;
}

export function systemActor(label = 'system'): Actor {
  return { kind: 'system', label };
}

/** How records people read (the timeline) name the actor: the display name, else the login. */
export function actorName(actor: Actor): string {
  return actor.kind === 'user' ? (actor.name ?? actor.login) : actor.label;
}

export function actorLabel(actor: Actor): string {
  return actor.kind === 'user' ? actor.login : actor.label;
}
