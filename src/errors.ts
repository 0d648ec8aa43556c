/**
 * Domain errors. `code` is stable snake_case: the web app and CLI translate codes, never parse messages.
 * `params` fill the translated message; `details` travel to the client as they are.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly params: Record<string, unknown> = {},
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string, id: string) {
    super('not_found', 404, `${entity} ${id} not found`, { entity, id });
  }
}

export class ForbiddenError extends AppError {
  constructor(permission?: string) {
    super('forbidden', 403, `Not allowed${permission ? `: needs ${permission}` : ''}`, { permission: permission ?? '' });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(code = 'unauthenticated', message = 'Sign in first') {
    super(code, 401, message);
  }
}

export class ValidationError extends AppError {
  constructor(code: string, message: string, params: Record<string, unknown> = {}, details?: unknown) {
    super(code, 400, message, params, details);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, params: Record<string, unknown> = {}) {
    super(code, 409, message, params);
  }
}

export class InvalidStateError extends AppError {
  constructor(code: string, message: string, params: Record<string, unknown> = {}) {
    super(code, 409, message, params);
  }
}

/** True when a PostgreSQL error (from pg or PGlite) is a unique violation. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
}
