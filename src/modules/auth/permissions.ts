/**
 * Every permission in one place, with the roles that hold it (CONVENTIONS §4).
 * A route declares one of these (or `public` / `session`); the route-table test checks every route against it.
 */
export const ROLES = ['admin', 'coordinator', 'responder', 'observer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;

export const PERMISSIONS = {
  'user.read': ['admin', 'auditor'],
  'user.manage': ['admin'],
  'org.read': ALL,
  'org.write': ['admin', 'coordinator'],
  'audit.read': ['admin', 'auditor'],
  'plan.read': ALL,
  'plan.write': ['admin', 'coordinator'],
  'scenario.read': ALL,
  'scenario.write': ['admin', 'coordinator'],
  'programme.read': ALL,
  'programme.write': ['admin', 'coordinator'],
  'drill.read': ALL,
  /** Prepare drills, edit them, fire and add injects. */
  'drill.manage': ['admin', 'coordinator'],
  /** Lifecycle transitions; which role may take which is decided per transition (drills/policy.ts). */
  'drill.transition': ['admin', 'coordinator', 'observer'],
  /** Write on a drill's timeline; whether this person may, in this drill, is decided in drills/policy.ts. */
  'timeline.write': ['admin', 'coordinator', 'responder', 'observer'],
  'incident.read': ALL,
  'incident.write': ['admin', 'coordinator', 'responder'],
  /** Rate a drill's objectives, record lessons learned and accountability notes. */
  'evaluation.write': ['admin', 'coordinator', 'observer'],
  'action.read': ALL,
  /** Raise and work on corrective actions; verifying needs someone other than the owner (actions/service.ts). */
  'action.write': ['admin', 'coordinator', 'responder', 'observer'],
  /** The year across drills: programme, response-time trends, objectives, corrective actions. */
  'dashboard.read': ALL,
  /** Evidence, its events and findings: read. */
  'evidence.read': ALL,
  /** Upload evidence, search it into findings, run detection rules. */
  'evidence.add': ['admin', 'coordinator', 'responder'],
  /** Export an evidence bundle for a third party (written into the chain of custody). */
  'evidence.export': ['admin', 'coordinator', 'auditor'],
  /** Upload, switch on or off and delete detection rules; set their placeholders. */
  'rule.write': ['admin', 'coordinator'],
  /** Company-wide settings such as the regulator's reporting deadlines. */
  'settings.write': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * What a route requires: a named permission, any signed-in user (`session`), or nobody (`public`).
 */
export type RouteAccess = Permission | 'session' | 'public';

export function roleHas(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => roleHas(role, p));
}

/** Whether a caller with `role` (undefined: anonymous) may use a route needing `access`. */
export function canAccess(role: Role | undefined, access: RouteAccess): boolean {
  if (access === 'public') return true;
  if (role === undefined) return false;
  if (access === 'session') return true;
  return roleHas(role, access);
}
