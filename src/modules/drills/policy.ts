import type { Actor } from '../../context.js';
import type { DrillStatus, Transition } from './schema.js';

/** Who may take a drill through each transition, and from which states (the lifecycle of issue #4). */
export const TRANSITION_RULES: Record<Transition, { from: readonly DrillStatus[]; to: DrillStatus; roles: readonly string[] }> = {
  approve: { from: ['draft'], to: 'approved', roles: ['admin', 'coordinator'] },
  start: { from: ['approved'], to: 'running', roles: ['admin', 'coordinator'] },
  pause: { from: ['running'], to: 'paused', roles: ['admin', 'coordinator'] },
  resume: { from: ['paused'], to: 'running', roles: ['admin', 'coordinator'] },
  end: { from: ['running', 'paused'], to: 'ended', roles: ['admin', 'coordinator'] },
  evaluate: { from: ['ended'], to: 'evaluated', roles: ['admin', 'coordinator', 'observer'] },
  close: { from: ['evaluated'], to: 'closed', roles: ['admin', 'coordinator'] },
};

function roleOf(actor: Actor): string {
  return actor.kind === 'user' ? actor.role : 'admin'; // the system (CLI, scheduler, demo) acts as administrator
}

export function mayTransition(actor: Actor, transition: Transition): boolean {
  return TRANSITION_RULES[transition].roles.includes(roleOf(actor));
}

/** Drill roles a user holds in a drill: through the people linked to their account. */
export interface Participation {
  roles: string[];
}

/**
 * Whether the actor may write this kind of entry on a drill's timeline in its current state. Coordinators and
 * administrators always may while it is live or just ended; responders and observers must take part in the
 * drill; observers write observations only; nobody writes injects by hand (the coordinator fires them).
 */
export function mayWriteEntry(actor: Actor, status: DrillStatus, kind: string, participation: Participation): boolean {
  const role = roleOf(actor);
  const live = status === 'running' || status === 'paused';
  if (role === 'admin' || role === 'coordinator') return live || status === 'ended';
  if (!live) return false;
  if (role === 'responder') return participation.roles.includes('responder') && kind !== 'observation';
  if (role === 'observer') return participation.roles.includes('observer') && kind === 'observation';
  return false;
}

/** What the caller may do with a drill, sent with it so the UI hides the rest. */
export function abilitiesOf(actor: Actor, status: DrillStatus, participation: Participation): string[] {
  const abilities: string[] = [];
  for (const [name, rule] of Object.entries(TRANSITION_RULES)) {
    if (rule.from.includes(status) && rule.roles.includes(roleOf(actor))) abilities.push(name);
  }
  const role = roleOf(actor);
  if (status === 'draft' && (role === 'admin' || role === 'coordinator')) abilities.push('edit');
  if ((status === 'running' || status === 'paused') && (role === 'admin' || role === 'coordinator')) abilities.push('fire_inject');
  for (const kind of ['action', 'decision', 'report', 'notification', 'observation', 'finding']) {
    if (mayWriteEntry(actor, status, kind, participation)) abilities.push(`write:${kind}`);
  }
  return abilities;
}
