import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { CommanderError, Option, type Command } from 'commander';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { translate } from '../i18n/index.js';
import { runDetection } from '../modules/evidence/findings.js';
import { ENCODING_CHOICES, PARSER_CHOICES, SearchQuery } from '../modules/evidence/schema.js';
import { searchEvents } from '../modules/evidence/search.js';
import { addEvidence, exportEvidence } from '../modules/evidence/service.js';
import { FolderEvidenceStore } from '../modules/evidence/store.js';
import { createIncident } from '../modules/incidents/service.js';
import { INCIDENT_LEVELS } from '../modules/plans/schema.js';
import { cliContext, type Opened } from './database.js';
import { cliLocale, EXIT, printTable, say } from './output.js';

type WithDatabase = <T>(cmd: Command, fn: (opened: Opened, config: Config) => Promise<T>) => Promise<T>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function checkId(id: string): void {
  if (!UUID.test(id)) throw new CommanderError(EXIT.usage, 'usage', say(`无效的 ID：${id}`, `not an id: ${id}`));
}

/** A progress bar on stderr: redrawn in place on a terminal, a line per quarter otherwise (logs, CI). */
function progressBar(label: string, total: number) {
  const started = Date.now();
  let lastQuarter = -1;
  let lastDraw = 0;
  const tty = process.stderr.isTTY === true;
  return {
    update(done: number) {
      const share = total > 0 ? Math.min(1, done / total) : 1;
      const mb = (n: number) => (n / 1048576).toFixed(1);
      const rate = done / 1048576 / Math.max(0.001, (Date.now() - started) / 1000);
      const text = `${label} ${(share * 100).toFixed(0).padStart(3)}%  ${mb(done)}/${mb(total)} MB  ${rate.toFixed(1)} MB/s`;
      if (tty) {
        if (Date.now() - lastDraw < 100 && share < 1) return;
        lastDraw = Date.now();
        const width = 24;
        const filled = Math.round(share * width);
        process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`);
      } else {
        const quarter = Math.floor(share * 4);
        if (quarter > lastQuarter) {
          lastQuarter = quarter;
          process.stderr.write(`${text}\n`);
        }
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

function messageOf(err: unknown): string {
  if (err instanceof AppError) return translate(cliLocale, err.code, err.params) ?? err.message;
  return (err as Error)?.message ?? String(err);
}

/** firedrill incidents …, evidence …, events search, detect. */
export function registerEvidenceCommands(program: Command, withDatabase: WithDatabase): void {
  const incidents = program.command('incidents').description(say('安全事件', 'incidents'));
  incidents
    .command('create')
    .description(say('登记一起安全事件，输出其 ID', 'record an incident; prints its id'))
    .requiredOption('--title <title>', say('标题', 'title'))
    .option('--category <key>', say('GB/T 20986-2023 分类（默认 other）', 'GB/T 20986-2023 category (default other)'), 'other')
    .addOption(new Option('--level <level>', say('级别', 'level')).choices([...INCIDENT_LEVELS]))
    .option('--description <text>', say('描述', 'description'))
    .option('--json', say('输出 JSON', 'print JSON'))
    .action(async (opts: { title: string; category: string; level?: (typeof INCIDENT_LEVELS)[number]; description?: string; json?: boolean }, cmd: Command) => {
      const incident = await withDatabase(cmd, (opened) =>
        createIncident(cliContext(opened.database), { title: opts.title, category: opts.category, level: opts.level, description: opts.description, detectedAt: new Date().toISOString() }, { language: cliLocale }),
      );
      console.log(opts.json ? JSON.stringify(incident, null, 2) : incident.id);
    });

  const evidence = program.command('evidence').description(say('证据', 'evidence'));
  evidence
    .command('add')
    .description(say('添加证据文件（计算 SHA-256、解析为事件），逐个文件报告结果', 'add evidence files (SHA-256, parsed into events); a report per file'))
    .argument('<id>', say('安全事件或演练 ID', 'incident or drill id'))
    .argument('<files...>', say('文件', 'files'))
    .addOption(new Option('--type <parser>', say('解析器（默认自动识别；none 只保存不解析）', 'parser (default: detected; none: store without parsing)')).choices([...PARSER_CHOICES]).default('auto'))
    .addOption(new Option('--encoding <encoding>', say('编码（默认自动识别）', 'encoding (default: detected)')).choices([...ENCODING_CHOICES]).default('auto'))
    .option('--collected-at <date>', say('采集时间（ISO 8601，默认现在）', 'when it was collected (ISO 8601; default now)'))
    .option('--tz <zone>', say('文件中不带时区的时间所在的时区', 'time zone of times without an offset'), 'Asia/Shanghai')
    .option('--origin <text>', say('来源（主机、路径、系统）', 'where it came from (host, path, system)'))
    .option('--json', say('输出 JSON', 'print JSON'))
    .action(async (id: string, files: string[], opts: { type: (typeof PARSER_CHOICES)[number]; encoding: (typeof ENCODING_CHOICES)[number]; collectedAt?: string; tz: string; origin?: string; json?: boolean }, cmd: Command) => {
      checkId(id);
      let collectedAt: string | undefined;
      if (opts.collectedAt) {
        const at = new Date(opts.collectedAt);
        if (Number.isNaN(at.getTime())) throw new CommanderError(EXIT.usage, 'usage', say(`无效的时间：${opts.collectedAt}`, `not a date: ${opts.collectedAt}`));
        collectedAt = at.toISOString();
      }
      for (const file of files) {
        try {
          if (!statSync(file).isFile()) throw new Error();
        } catch {
          throw new CommanderError(EXIT.usage, 'usage', say(`无法读取文件：${file}`, `cannot read file: ${file}`));
        }
      }
      const results = await withDatabase(cmd, async (opened, config) => {
        const store = new FolderEvidenceStore(config.dataDir);
        const ctx = cliContext(opened.database);
        const out: { file: string; ok: boolean; evidenceId?: string; sha256?: string; report?: unknown; error?: { code: string; message: string } }[] = [];
        for (const file of files) {
          const bar = progressBar(basename(file), statSync(file).size);
          try {
            const added = await addEvidence(ctx, store, id, {
              filename: basename(file),
              source: createReadStream(file, { highWaterMark: 1 << 20 }),
              parser: opts.type,
              encoding: opts.encoding,
              collectedAt,
              timeZone: opts.tz,
              origin: opts.origin ?? file,
              onProgress: (bytes) => bar.update(bytes),
            });
            bar.done();
            out.push({ file, ok: true, evidenceId: added.evidence.id, sha256: added.evidence.sha256, report: added.report });
          } catch (err) {
            bar.done();
            // A problem with this file is reported and the next file goes on; anything else stops the command.
            if (!(err instanceof AppError) || err.status >= 500) throw err;
            out.push({ file, ok: false, error: { code: err.code, message: messageOf(err) } });
          }
        }
        return out;
      });
      if (opts.json) {
        console.log(JSON.stringify({ files: results }, null, 2));
      } else {
        for (const r of results) {
          if (!r.ok) {
            console.log(say(`✗ ${r.file}：${r.error!.message}`, `✗ ${r.file}: ${r.error!.message}`));
            continue;
          }
          const rep = r.report as { parser: string; encoding: string; lines: number; events: number; skipped: number; unparsed: number; unparsedLines: number[] } | null;
          console.log(`✓ ${r.file}  sha256 ${r.sha256}  ${say('证据', 'evidence')} ${r.evidenceId}`);
          if (rep) {
            const first = rep.unparsedLines.length ? say(`（首几行：${rep.unparsedLines.join(', ')}）`, ` (first: ${rep.unparsedLines.join(', ')})`) : '';
            console.log(
              say(
                `  ${rep.parser}/${rep.encoding}：读取 ${rep.lines} 行，存入 ${rep.events} 条事件，跳过 ${rep.skipped} 行，未能解析 ${rep.unparsed} 行${first}`,
                `  ${rep.parser}/${rep.encoding}: ${rep.lines} lines read, ${rep.events} events stored, ${rep.skipped} skipped, ${rep.unparsed} lines not parsed${first}`,
              ),
            );
          } else {
            console.log(say('  已保存（未解析）', '  stored (not parsed)'));
          }
        }
      }
      if (results.some((r) => !r.ok)) process.exitCode = EXIT.failed;
    });

  evidence
    .command('export')
    .description(say('导出证据包：原始文件、SHA256SUMS（可用 sha256sum -c 校验）和含保管链的 manifest.json', 'export the evidence bundle: the files, SHA256SUMS (check with sha256sum -c) and manifest.json with custody'))
    .argument('<id>', say('安全事件或演练 ID', 'incident or drill id'))
    .requiredOption('--out <dir>', say('输出目录', 'output folder'))
    .action(async (id: string, opts: { out: string }, cmd: Command) => {
      checkId(id);
      const result = await withDatabase(cmd, (opened, config) => exportEvidence(cliContext(opened.database), new FolderEvidenceStore(config.dataDir), id, opts.out));
      console.log(say(`已导出 ${result.files} 个文件到 ${result.outDir}；校验：cd ${result.outDir} && sha256sum -c SHA256SUMS`, `Exported ${result.files} files to ${result.outDir}; verify: cd ${result.outDir} && sha256sum -c SHA256SUMS`));
    });

  const events = program.command('events').description(say('事件记录（解析后的日志）', 'events (parsed logs)'));
  events
    .command('search')
    .description(say('查询事件记录', 'search events'))
    .argument('<id>', say('安全事件或演练 ID', 'incident or drill id'))
    .option('--type <types>', say('事件类型（逗号分隔）', 'event types (comma-separated)'))
    .option('--user <users>', say('用户（逗号分隔）', 'users (comma-separated)'))
    .option('--ip <cidr>', say('IP 地址或 CIDR 网段', 'IP address or CIDR block'))
    .option('--host <hosts>', say('主机（逗号分隔）', 'hosts (comma-separated)'))
    .option('--from <date>', say('开始时间', 'from'))
    .option('--to <date>', say('结束时间', 'to'))
    .option('--text <words>', say('消息中的文字', 'words in the message'))
    .option('--limit <n>', say('最多返回条数', 'page size'), '100')
    .option('--offset <n>', say('跳过条数', 'offset'), '0')
    .option('--json', say('输出 JSON（含 total）', 'print JSON (with total)'))
    .action(async (id: string, opts: Record<string, string | boolean | undefined>, cmd: Command) => {
      checkId(id);
      const toIso = (v: unknown) => {
        if (typeof v !== 'string') return undefined;
        const d = new Date(v);
        if (Number.isNaN(d.getTime())) throw new CommanderError(EXIT.usage, 'usage', say(`无效的时间：${v}`, `not a date: ${v}`));
        return d.toISOString();
      };
      const parsed = SearchQuery.safeParse({ type: opts.type, user: opts.user, ip: opts.ip, host: opts.host, text: opts.text, from: toIso(opts.from), to: toIso(opts.to), limit: opts.limit, offset: opts.offset });
      if (!parsed.success) throw new CommanderError(EXIT.usage, 'usage', parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
      const result = await withDatabase(cmd, (opened) => searchEvents(cliContext(opened.database), id, parsed.data));
      if (opts.json) {
        console.log(JSON.stringify(result, null, 2));
        return;
      }
      console.log(say(`共 ${result.total} 条匹配，显示 ${result.events.length} 条`, `${result.total} matching, showing ${result.events.length}`));
      printTable(
        [say('时间', 'TIME'), say('主机', 'HOST'), say('类型', 'TYPE'), say('用户', 'USER'), 'IP', say('消息', 'MESSAGE')],
        result.events.map((e) => [e.time ?? '-', e.host ?? '-', e.type, e.user ?? '-', e.srcIp ?? '-', e.message.slice(0, 100)]),
      );
    });

  program
    .command('detect')
    .description(say('对证据运行检测规则；每个命中成为时间线上的发现', 'run the detection rules over the evidence; each hit becomes a finding on the timeline'))
    .argument('<id>', say('安全事件或演练 ID', 'incident or drill id'))
    .option('--json', say('输出 JSON', 'print JSON'))
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      checkId(id);
      const result = await withDatabase(cmd, (opened) => runDetection(cliContext(opened.database), id, cliLocale));
      if (opts.json) {
        console.log(JSON.stringify(result, null, 2));
      } else {
        console.log(say(`命中 ${result.hits} 处，新增发现 ${result.created.length} 条`, `${result.hits} hits, ${result.created.length} new findings`));
        printTable(
          [say('规则', 'RULE'), say('级别', 'LEVEL'), say('事件数', 'EVENTS'), say('首次', 'FIRST'), say('末次', 'LAST')],
          result.created.map((f) => [f.evidence?.rule?.title ?? f.text, f.evidence?.rule?.level ?? '-', String(f.evidence?.total ?? 0), f.evidence?.firstTime ?? '-', f.evidence?.lastTime ?? '-']),
        );
        for (const e of result.errors) process.stderr.write(`firedrill: ${e.title}: ${e.message}\n`);
      }
      if (result.errors.length) process.exitCode = EXIT.failed;
    });
}

