import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './src/db/index.js';
import { systemContext } from './test/factories.js';
import { addEvidence } from './src/modules/evidence/service.js';
import { FolderEvidenceStore } from './src/modules/evidence/store.js';
import { createIncident } from './src/modules/incidents/service.js';
import { createPgDatabase, dropPgDatabase } from './test/helpers/db.js';
const url = await createPgDatabase();
const db = await openDatabase({ databaseUrl: url, poolSize: 2 });
await db.migrate();
const ctx = systemContext(db.db);
const store = new FolderEvidenceStore(mkdtempSync(join(tmpdir(), 'x-')));
const inc = await createIncident(ctx, { title: 't', category: 'network_attack' });
for (const [name, content] of [['empty', Buffer.alloc(0)], ['garbage', Buffer.alloc(100000, 1)], ['ok', Buffer.from('Apr 17 10:00:00 h sshd[1]: Accepted password for root from 1.2.3.4 port 22 ssh2\n')]] as const) {
  const t = Date.now();
  try { const r = await Promise.race([addEvidence(ctx, store, inc.id, { filename: name, source: [content] }), new Promise((_, rej) => setTimeout(() => rej(new Error('TIMEOUT')), 10000))]); console.log(name, 'ok', (r as any).report?.events); }
  catch (e) { console.log(name, (e as any).code ?? (e as Error).message, Date.now() - t, 'ms'); }
}
await db.close(); await dropPgDatabase(url);
