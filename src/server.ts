import { systemClock } from './clock.js';
import type { Config } from './config.js';
import { openConfigured } from './cli/database.js';
import type { Db } from './db/types.js';
import { buildApp, type App } from './http/app.js';
import { createSetupTokenIfNeeded } from './modules/auth/service.js';

export interface RunningServer {
  app: App;
  url: string;
  stop(): Promise<void>;
}

/**
 * Opens the database (migrating it), starts the HTTP server, and on a fresh install prints the
 * single-use setup link. Stops cleanly on SIGINT/SIGTERM.
 */
export async function startServer(config: Config, print: (line: string) => void = console.log, options: { worker?: boolean } = {}): Promise<RunningServer> {
  const opened = await openConfigured(config);
  const app = await buildApp({ database: opened.database, config, clock: systemClock });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close().catch(() => {});
    await opened.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  opened.lock?.setPort(port);
  const url = config.publicUrl?.replace(/\/$/, '') ?? `http://localhost:${port}`;
  // In a cluster the primary prints the banner and the setup link (see cluster.ts).
  if (!options.worker) {
    print(`Firedrill ${config.version} — ${url} (${opened.database.kind}${opened.database.kind === 'pglite' ? `: ${config.dataDir}` : ''})`);
    await printSetupLink(opened.database.db, url, print);
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close();
      await opened.close();
    })());
  return { app, url, stop };
}

/** On a fresh install (no account yet), makes a single-use setup token and prints its link. */
export async function printSetupLink(db: Db, url: string, print: (line: string) => void): Promise<void> {
  const token = await createSetupTokenIfNeeded({ db, clock: systemClock });
  if (!token) return;
  print('');
  print('首次使用：请打开下面的一次性链接创建管理员账号 / First run: open this single-use link to create the administrator:');
  print(`  ${url}/setup#token=${token}`);
  print('');
}
