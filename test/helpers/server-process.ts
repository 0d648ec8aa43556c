import { spawn, type ChildProcess } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;
const START_TIMEOUT_MS = 60_000;

/** A `firedrill serve` child process, as tests that kill and restart the real server use it. */
export interface ServerChild {
  proc: ChildProcess;
  base: string;
  setupToken: string | null;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every server child still running: kill them in afterAll with killServerChildren(). */
export const serverChildren = new Set<ChildProcess>();

/** A child's exit, without waiting when it has already gone. */
export function exitOf(proc: ChildProcess): Promise<unknown> {
  return proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((resolve) => proc.once('exit', resolve));
}

export async function killServerChildren(): Promise<void> {
  const all = [...serverChildren];
  for (const child of all) child.kill('SIGKILL');
  await Promise.all(all.map(exitOf));
}

/**
 * Starts `firedrill serve` from source on a free port, on PGlite in `dataDir` or on PostgreSQL when
 * `databaseUrl` is given; resolves once it listens (and, when asked, printed its setup link).
 */
export function startServerChild(options: { dataDir: string; databaseUrl?: string; expectSetupToken: boolean }): Promise<ServerChild> {
  const env: NodeJS.ProcessEnv = { ...process.env, FIREDRILL_FROM_SOURCE: '1', FIREDRILL_LOG_LEVEL: 'warn', LANG: 'C' };
  delete env.DATABASE_URL;
  delete env.LC_ALL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const proc = spawn(process.execPath, ['bin/firedrill.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', options.dataDir], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  serverChildren.add(proc);
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => {
      serverChildren.delete(proc);
      resolve({ code, signal });
    });
  });
  const output = () => `stdout:\n${out}\nstderr:\n${err}`;
  return new Promise<ServerChild>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms\n${output()}`));
    }, START_TIMEOUT_MS);
    const check = () => {
      const port = /http:\/\/localhost:(\d+)/.exec(out)?.[1];
      const token = /\/setup#token=([A-Za-z0-9_-]+)/.exec(out)?.[1] ?? null;
      if (port && (token || !options.expectSetupToken)) {
        clearTimeout(timer);
        resolve({ proc, base: `http://127.0.0.1:${port}`, setupToken: token, output, exited });
      }
    };
    proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      check();
    });
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal})\n${output()}`));
    });
  });
}
