import { z } from 'zod';

/**
 * A user-supplied string that PostgreSQL can store: no NUL character (text and jsonb reject it)
 * and no lone UTF-16 surrogate (jsonb rejects it). Without this a client's typo would be a 500.
 */
export function safeText(max: number) {
  return z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000') && s.isWellFormed(), { message: 'contains a character that cannot be stored' });
}

/** A trimmed optional free-text field, e.g. notes. */
export function optionalText(max: number) {
  return safeText(max).optional();
}

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
