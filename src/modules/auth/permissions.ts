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
