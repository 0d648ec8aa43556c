import { index, integer, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { baseColumns, timestamptz } from '../../db/columns.js';
import { safeText } from '../../http/zod.js';
import { ROLES } from './permissions.js';

export const roleEnum = pgEnum('role', ROLES);

export const users = pgTable('users', {
  ...baseColumns,
  /** Stored lower-case; unique. */
  login: text().notNull().unique(),
  displayName: text().notNull(),
  email: text(),
  role: roleEnum().notNull(),
  passwordHash: text().notNull(),
  locale: text().notNull().default('zh-CN'),
  disabledAt: timestamptz(),
  failedLoginCount: integer().notNull().default(0),
  lockedUntil: timestamptz(),
  lastLoginAt: timestamptz(),
});

export const sessions = pgTable(
  'sessions',
  {
    ...baseColumns,
    /** SHA-256 of the cookie token: a leaked table gives no usable session. */
    tokenHash: text().notNull().unique(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    lastSeenAt: timestamptz().notNull(),
    expiresAt: timestamptz().notNull(),
    revokedAt: timestamptz(),
    ip: text(),
    userAgent: text(),
  },
  (t) => [index().on(t.userId)],
);

export const setupTokens = pgTable('setup_tokens', {
  ...baseColumns,
  tokenHash: text().notNull().unique(),
  expiresAt: timestamptz().notNull(),
  usedAt: timestamptz(),
});

// ---- API contracts ----

export const Role = z.enum(ROLES);
export const Locale = z.enum(['zh-CN', 'en']);

export const LoginText = safeText(64)
  .min(2)
  .regex(/^[A-Za-z0-9._@-]+$/, { message: 'letters, digits and . _ @ - only' });
export const Password = z.string().min(10).max(200);

export const LoginBody = z.strictObject({ login: safeText(200).min(1), password: z.string().min(1).max(200) });
export type LoginBody = z.infer<typeof LoginBody>;

export const SetupBody = z.strictObject({
  token: safeText(200).min(1),
  login: LoginText,
  displayName: safeText(100).min(1),
  email: z.email().max(200).optional(),
  password: Password,
  locale: Locale.optional(),
});
export type SetupBody = z.infer<typeof SetupBody>;

export const User = z.object({
  id: z.uuid(),
  login: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  role: Role,
  locale: Locale,
  disabled: z.boolean(),
  locked: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type User = z.infer<typeof User>;

export const Me = z.object({ user: User, permissions: z.array(z.string()) });

export const CreateUserBody = z.strictObject({
  login: LoginText,
  displayName: safeText(100).min(1),
  email: z.email().max(200).optional(),
  role: Role,
  password: Password,
  locale: Locale.optional(),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z.strictObject({
  displayName: safeText(100).min(1).optional(),
  email: z.email().max(200).nullable().optional(),
  role: Role.optional(),
  disabled: z.boolean().optional(),
  locale: Locale.optional(),
  password: Password.optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const UpdateMeBody = z.strictObject({
  displayName: safeText(100).min(1).optional(),
  locale: Locale.optional(),
  currentPassword: z.string().max(200).optional(),
  newPassword: Password.optional(),
});
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

export const UserIdParams = z.strictObject({ userId: z.uuid() });
