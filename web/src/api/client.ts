import i18n, { currentLocale } from '../i18n';

/** An error answered by the API (`{error:{code,message,details},requestId}`) or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** Do not treat a 401 as "signed out" (the sign-in calls themselves, and /auth/me). */
  quiet401?: boolean;
}

let unauthorizedHandler: ((code: string) => void) | null = null;

/** Called whenever an API call answers 401: the session is gone, so the app goes to /login. */
export function onUnauthorized(handler: ((code: string) => void) | null): void {
  unauthorizedHandler = handler;
}

/** Tells the app its session is gone (for requests made outside `api`, such as an upload with progress). */
export function reportUnauthorized(code: string): void {
  unauthorizedHandler?.(code);
}

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

/**
 * Calls the API with the session cookie and the interface language (the server translates its
 * error messages from Accept-Language). Resolves with the JSON body; rejects with ApiError.
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale() };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), { method: options.method ?? 'GET', headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network_error', i18n.t('errors.network_error'));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const envelope = data as { error?: { code?: string; message?: string; details?: unknown }; requestId?: string } | null;
    const error = new ApiError(
      response.status,
      envelope?.error?.code ?? `http_${response.status}`,
      envelope?.error?.message ?? `${response.status} ${response.statusText}`,
      envelope?.error?.details,
      envelope?.requestId,
    );
    if (response.status === 401 && !options.quiet401) reportUnauthorized(error.code);
    throw error;
  }
  return data as T;
}

/**
 * The text to show for an error: our own translation of its code when we have one, otherwise the
 * server's message (already in the request's language). Messages are never parsed.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (i18n.exists(key)) return i18n.t(key);
    return error.message || i18n.t('errors.unknown');
  }
  return i18n.t('errors.unknown');
}
