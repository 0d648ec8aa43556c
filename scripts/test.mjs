#!/usr/bin/env node
// The one test command (`npm test`, called by .ci/run): installs what the tests need that is missing
// (Debian's Chromium, LibreOffice, CJK fonts, poppler; a running PostgreSQL), type-checks, builds the web app the browser tests load, then runs the
// whole suite on PGlite and again on PostgreSQL, and prints one closing line "N passed, N failed".
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const sh = (cmd, opts = {}) => execSync(cmd, { stdio: 'inherit', cwd: root, ...opts });
const quiet = (cmd) => spawnSync('bash', ['-c', cmd], { stdio: 'ignore' }).status === 0;

/** Debian packages the tests need, each with a file that shows it is installed. */
const DEBIAN_PACKAGES = [
  ['chromium', '/usr/bin/chromium'], // browser tests
  ['fonts-noto-cjk', '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'], // Chinese in screenshots, PDFs, chart PNGs
  ['libreoffice-writer-nogui', '/usr/bin/soffice'], // DOCX → PDF in the report test
  ['poppler-utils', '/usr/bin/pdftotext'], // page count and text of those PDFs
];

function ensureDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter(([, file]) => !existsSync(file)).map(([name]) => name);
  if (missing.length === 0) return;
  console.log(`[test] installing Debian packages the tests need: ${missing.join(' ')}`);
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  sh(`${sudo}apt-get update -q && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${missing.join(' ')}`);
}

function ensurePostgres() {
  const url = process.env.FIREDRILL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const ready = () => quiet(`pg_isready -q -d '${url}'`);
  if (ready()) return;
  console.log('[test] PostgreSQL is not answering; trying to start the local cluster');
  quiet('pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -1) main start');
  for (let i = 0; i < 30 && !ready(); i++) execSync('sleep 1');
  if (!ready()) {
    console.error(`[test] no PostgreSQL at ${url}; set FIREDRILL_TEST_PG_URL`);
    process.exit(1);
  }
}

ensureDebianPackages();
ensurePostgres();
sh('npm run typecheck --silent');
sh('npm run build:web --silent');

const extra = process.argv.slice(2);
const resultsDir = join(root, '.test-results');
mkdirSync(resultsDir, { recursive: true });
let passed = 0;
let failed = 0;
let exitCode = 0;
for (const db of ['pglite', 'postgres']) {
  console.log(`\n[test] ===== whole suite on ${db} =====`);
  const out = join(resultsDir, `${db}.json`);
  const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extra], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FIREDRILL_TEST_DB: db },
  });
  if (run.status !== 0) exitCode = 1;
  if (existsSync(out)) {
    const json = JSON.parse(readFileSync(out, 'utf8'));
    passed += json.numPassedTests;
    failed += json.numFailedTests + (json.numRuntimeErrors ?? 0);
    if (json.numTotalTests === 0) exitCode = 1;
  } else {
    failed += 1;
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(exitCode || (failed > 0 ? 1 : 0));
