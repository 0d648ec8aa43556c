import { AppError } from '../errors.js';
import { translate, type Locale } from '../i18n/index.js';

/** The CLI speaks Chinese when the terminal's locale does, English otherwise. */
export const cliLocale: Locale = /^zh/i.test(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '') ? 'zh-CN' : 'en';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2, busy: 3 } as const;

export function say(zh: string, en: string): string {
  return cliLocale === 'zh-CN' ? zh : en;
}

/** Prints an error the way a user can act on it, and returns the exit code to use. */
export function reportError(err: unknown): number {
  if (err instanceof AppError) {
    const message = translate(cliLocale, err.code, err.params) ?? err.message;
    process.stderr.write(`firedrill: ${message}\n`);
    return err.code === 'data_folder_busy' ? EXIT.busy : EXIT.failed;
  }
  const e = err as Error;
  process.stderr.write(`firedrill: ${e?.message ?? String(err)}\n`);
  return EXIT.failed;
}

/** Prints rows as an aligned table (CJK characters count double). */
export function printTable(headers: string[], rows: string[][]): void {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffdc]/.test(ch) ? 2 : 1), 0);
  const cols = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(cols[i] - width(c))).join('  ').trimEnd();
  process.stdout.write([line(headers), ...rows.map(line)].join('\n') + '\n');
}
