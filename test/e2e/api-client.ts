/**
 * A tiny API client for browser tests: keeps the session cookie, sends the Origin header the server's CSRF
 * check expects, and throws with the server's error body on any non-2xx answer.
 */
export class ApiSession {
  private cookie = '';

  constructor(readonly baseUrl: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', Origin: this.baseUrl };
    if (this.cookie) headers.Cookie = this.cookie;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = response.headers.getSetCookie?.() ?? [];
    if (setCookie.length) this.cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string) {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown) {
    return this.call<T>('POST', path, body);
  }
}

export interface Account {
  login: string;
  name: string;
  password: string;
}

/** Completes first-run setup from the printed link and returns the administrator's session. */
export async function setupAdmin(baseUrl: string, setupLink: string, admin: Account): Promise<ApiSession> {
  const token = decodeURIComponent(setupLink.split('#token=')[1] ?? '');
  const session = new ApiSession(baseUrl);
  await session.post('/auth/setup', { token, login: admin.login, displayName: admin.name, password: admin.password, locale: 'zh-CN' });
  return session;
}

/** Creates an account with a role and a person linked to it; returns the person's id. */
export async function createAccountWithPerson(admin: ApiSession, account: Account, role: string): Promise<{ userId: string; personId: string }> {
  const user = await admin.post<{ id: string }>('/users', { login: account.login, displayName: account.name, password: account.password, role, locale: 'zh-CN' });
  const person = await admin.post<{ id: string }>('/people', { name: account.name, userId: user.id });
  return { userId: user.id, personId: person.id };
}
