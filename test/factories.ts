import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../src/clock.js';
import { systemActor, type ServiceContext } from '../src/context.js';
import type { Db } from '../src/db/types.js';
import type { Role } from '../src/modules/auth/permissions.js';
import { createUser } from '../src/modules/auth/service.js';
import type { CreatePersonBody } from '../src/modules/org/schema.js';
import { createGroup, createPerson } from '../src/modules/org/service.js';

export const TEST_PASSWORD = 'correct-horse-battery';

/** A service context acting as the system (as the CLI does). */
export function systemContext(db: Db, clock: Clock = systemClock): ServiceContext {
  return { db, clock, actor: systemActor('test') };
}

function suffix(): string {
  return randomBytes(4).toString('hex');
}

export async function buildUser(ctx: ServiceContext, overrides: { login?: string; role?: Role; displayName?: string; locale?: 'zh-CN' | 'en' } = {}) {
  const login = overrides.login ?? `${overrides.role ?? 'user'}-${suffix()}`;
  return createUser(ctx, { login, displayName: overrides.displayName ?? login, role: overrides.role ?? 'responder', password: TEST_PASSWORD, locale: overrides.locale });
}

export async function buildPerson(ctx: ServiceContext, overrides: Partial<CreatePersonBody> = {}) {
  return createPerson(ctx, { name: `Person ${suffix()}`, department: '研发部', ...overrides });
}

/** A working group; creates its leader and two members when none are given. */
export async function buildGroup(ctx: ServiceContext, overrides: { name?: string; duties?: string; leaderId?: string; memberIds?: string[] } = {}) {
  const leaderId = overrides.leaderId ?? (await buildPerson(ctx)).id;
  const memberIds = overrides.memberIds ?? [(await buildPerson(ctx)).id, (await buildPerson(ctx)).id];
  return createGroup(ctx, { name: overrides.name ?? `Group ${suffix()}`, duties: overrides.duties ?? 'duties', leaderId, memberIds });
}
