import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import { openConfigured } from './cli/database.js';
import { printSetupLink } from './server.js';

interface ListeningMessage {
  type: 'firedrill:listening';
  port: number;
}

/**
 * Runs `workers` server processes on one port (Node's cluster: the primary hands out connections), for
 * PostgreSQL only. The primary migrates the database once, prints the banner and the setup link, and
 * replaces a worker that dies. Workers are stateless: sessions, live timelines and schedulers coordinate
 * through PostgreSQL (NOTIFY, advisory locks).
 */
export async function startCluster(config: Config, workers: number, print: (line: string) => void = console.log): Promise<{ stop(): Promise<void> }> {
  const opened = await openConfigured(config);
  let stopping = false;
  let announced = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: ListeningMessage) => {
      if (message?.type !== 'firedrill:listening' || announced) return;
      announced = true;
      const url = config.publicUrl?.replace(/\/$/, '') ?? `http://localhost:${message.port}`;
      print(`Firedrill ${config.version} — ${url} (postgres, ${workers} workers)`);
      printSetupLink(opened.database.db, url, print).catch((err) => print(`firedrill: ${(err as Error).message}`));
    });
    return worker;
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    print(`firedrill: worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  for (let i = 0; i < workers; i++) fork();

  return {
    async stop() {
      stopping = true;
      const exits = Object.values(cluster.workers ?? {}).map(
        (w) =>
          new Promise<void>((resolve) => {
            if (!w || w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.kill('SIGTERM');
          }),
      );
      await Promise.all(exits);
      await opened.close();
    },
  };
}

/** In a worker: tell the primary where we listen. */
export function reportListening(port: number): void {
  process.send?.({ type: 'firedrill:listening', port } satisfies ListeningMessage);
}
