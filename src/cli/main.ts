#!/usr/bin/env node
import cluster from 'node:cluster';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig, version, type Config } from '../config.js';
import { ROLES, type Role } from '../modules/auth/permissions.js';
import { verifyAuditChain } from '../modules/audit/service.js';
import { createUser, listUsers, setRoleByLogin } from '../modules/auth/service.js';
import { CreateUserBody } from '../modules/auth/schema.js';
import { newToken } from '../modules/auth/tokens.js';
import { reportListening, startCluster } from '../cluster.js';
import { startServer } from '../server.js';
import { loadSeedCompany } from '../demo/seed-company.js';
import { REPORT_KINDS, renderReportById, type ReportKind } from '../modules/reports/service.js';
import { getDrillTimeline, listDrills } from '../modules/drills/service.js';
import { cliContext, openConfigured } from './database.js';
import { registerEvidenceCommands } from './evidence-commands.js';
import { EXIT, printTable, reportError, say } from './output.js';

/** A wall time as people there read it: the machine's TZ, or China's. */
function localTime(iso: string): string {
  return new Date(iso).toLocaleString('sv-SE', { timeZone: process.env.TZ || 'Asia/Shanghai' });
}

interface GlobalOptions {
  data?: string;
}

function configFrom(cmd: Command, extra: Partial<Config> = {}): Config {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  return loadConfig({ dataDir: globals.data, ...extra });
}

/** Runs a command body against the configured database, closing it whatever happens. */
async function withDatabase<T>(cmd: Command, fn: (opened: Awaited<ReturnType<typeof openConfigured>>, config: Config) => Promise<T>): Promise<T> {
  const config = configFrom(cmd);
  const opened = await openConfigured(config);
  try {
    return await fn(opened, config);
  } finally {
    await opened.close();
  }
}

function readStdin(): string {
  return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
}

const program = new Command('firedrill')
  .description(say('信息安全应急演练与事件响应：计划、演练、记录、调查、评估、报告、改进', 'Information-security emergency drills and incidents: plan, run, record, investigate, evaluate, report, improve'))
  .version(version)
  .option('--data <dir>', say('嵌入式数据库的数据目录（默认 ./data；设置 DATABASE_URL 时使用 PostgreSQL）', 'data folder of the embedded database (default ./data; DATABASE_URL selects PostgreSQL)'))
  .showHelpAfterError()
  .exitOverride();

program
  .command('serve')
  .description(say('启动服务：网页与 API 在同一端口', 'start the server: web app and API on one port'))
  .option('--port <port>', say('端口（默认 8080）', 'port (default 8080)'), (v) => Number.parseInt(v, 10))
  .option('--host <host>', say('监听地址（默认 0.0.0.0）', 'address to listen on (default 0.0.0.0)'))
  .option('--workers <n>', say('服务进程数（默认 1；多于 1 时需要 PostgreSQL）', 'server processes (default 1; more than 1 needs PostgreSQL)'), (v) => Number.parseInt(v, 10))
  .action(async (opts: { port?: number; host?: string; workers?: number }, cmd: Command) => {
    if (opts.port !== undefined && !(opts.port >= 0 && opts.port < 65536)) throw new CommanderError(EXIT.usage, 'usage', `--port: ${say('无效端口', 'not a valid port')}`);
    const workers = opts.workers ?? 1;
    if (!(workers >= 1 && workers <= 64)) throw new CommanderError(EXIT.usage, 'usage', `--workers: ${say('应为 1 到 64', 'must be 1 to 64')}`);
    const config = configFrom(cmd, { port: opts.port, host: opts.host });
    if (workers > 1 && !config.databaseUrl) {
      throw new CommanderError(EXIT.usage, 'usage', `--workers: ${say('多个服务进程需要 PostgreSQL（设置 DATABASE_URL）；嵌入式数据库只能由一个进程打开', 'several processes need PostgreSQL (set DATABASE_URL); the embedded database is one process\'s')}`);
    }
    let stop: () => Promise<void>;
    if (workers > 1 && cluster.isPrimary) {
      stop = (await startCluster(config, workers)).stop;
    } else {
      const server = await startServer(config, console.log, { worker: cluster.isWorker });
      if (cluster.isWorker) reportListening((server.app.server.address() as AddressInfo).port);
      stop = server.stop;
    }
    const shutdown = () => {
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

program
  .command('migrate')
  .description(say('执行数据库迁移后退出', 'apply the database migrations, then exit'))
  .action(async (_opts, cmd: Command) => {
    await withDatabase(cmd, async (opened) => {
      console.log(say(`数据库已是最新（${opened.database.kind}）`, `Database is up to date (${opened.database.kind})`));
    });
  });

const user = program.command('user').description(say('管理账号', 'manage accounts'));

user
  .command('create')
  .description(say('创建账号（未给密码时生成随机密码并只显示一次）', 'create an account (without a password, a random one is generated and shown once)'))
  .requiredOption('--login <login>', say('登录名', 'login name'))
  .requiredOption('--name <name>', say('显示名称', 'display name'))
  .addOption(new Option('--role <role>', say('角色', 'role')).choices(ROLES).makeOptionMandatory())
  .option('--email <email>', say('电子邮件', 'e-mail'))
  .option('--password-stdin', say('从标准输入读取密码', 'read the password from standard input'))
  .option('--json', say('输出 JSON', 'print JSON'))
  .action(async (opts: { login: string; name: string; role: Role; email?: string; passwordStdin?: boolean; json?: boolean }, cmd: Command) => {
    const generated = !opts.passwordStdin;
    const password = opts.passwordStdin ? readStdin() : newToken().slice(0, 20);
    const parsed = CreateUserBody.safeParse({ login: opts.login, displayName: opts.name, role: opts.role, email: opts.email, password });
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new CommanderError(EXIT.usage, 'usage', detail);
    }
    await withDatabase(cmd, async (opened) => {
      const created = await createUser(cliContext(opened.database), parsed.data);
      if (opts.json) console.log(JSON.stringify({ user: created, ...(generated ? { password } : {}) }, null, 2));
      else {
        console.log(say(`已创建账号 ${created.login}（${created.role}）`, `Created ${created.login} (${created.role})`));
        if (generated) console.log(say(`初始密码（只显示这一次）：${password}`, `Initial password (shown only now): ${password}`));
      }
    });
  });

user
  .command('list')
  .description(say('列出账号', 'list accounts'))
  .option('--json', say('输出 JSON', 'print JSON'))
  .action(async (opts: { json?: boolean }, cmd: Command) => {
    await withDatabase(cmd, async (opened) => {
      const users = await listUsers(cliContext(opened.database));
      if (opts.json) return console.log(JSON.stringify({ users }, null, 2));
      printTable(
        [say('登录名', 'LOGIN'), say('名称', 'NAME'), say('角色', 'ROLE'), say('状态', 'STATE')],
        users.map((u) => [u.login, u.displayName, u.role, u.disabled ? say('停用', 'disabled') : u.locked ? say('锁定', 'locked') : say('正常', 'active')]),
      );
    });
  });

user
  .command('set-role')
  .description(say('修改账号角色', "change an account's role"))
  .argument('<login>', say('登录名', 'login name'))
  .addArgument(new Command().createArgument('<role>', say('新角色', 'new role')).choices(ROLES))
  .action(async (login: string, role: Role, _opts, cmd: Command) => {
    await withDatabase(cmd, async (opened) => {
      const updated = await setRoleByLogin(cliContext(opened.database), login, role);
      console.log(say(`${updated.login} 的角色已改为 ${updated.role}`, `${updated.login} is now ${updated.role}`));
    });
  });

program
  .command('demo')
  .description(say('载入示例公司：组织、应急预案、场景，以及 2020-04-18 已完成并记录的演练', 'load the sample company: organisation, plan, scenario, and its drill of 2020-04-18 already run and recorded'))
  .option('--json', say('输出 JSON', 'print JSON'))
  .action(async (opts: { json?: boolean }, cmd: Command) => {
    const summary = await withDatabase(cmd, (opened) => loadSeedCompany(opened.database.db));
    if (opts.json) return console.log(JSON.stringify(summary, null, 2));
    if (!summary.loaded) return console.log(say('示例数据已存在，未重复载入', 'The sample data is already there; nothing loaded'));
    console.log(say(`已载入示例公司：${summary.people} 名人员、应急演练工作组、应急预案和 2020-04-18 的演练（${summary.drillId}）`, `Loaded the sample company: ${summary.people} people, the working group, the emergency plan and the drill of 2020-04-18 (${summary.drillId})`));
    console.log(say('查看时间线：firedrill timeline ' + summary.drillId, 'See its timeline: firedrill timeline ' + summary.drillId));
  });

const drillsCommand = program.command('drills').description(say('演练', 'drills'));

drillsCommand
  .command('list')
  .description(say('列出演练', 'list drills'))
  .option('--json', say('输出 JSON', 'print JSON'))
  .action(async (opts: { json?: boolean }, cmd: Command) => {
    const drills = await withDatabase(cmd, (opened) => listDrills(cliContext(opened.database)));
    if (opts.json) return console.log(JSON.stringify({ drills }, null, 2));
    printTable(
      ['ID', say('标题', 'TITLE'), say('状态', 'STATUS'), say('方式', 'MODE'), say('开始', 'STARTED')],
      drills.map((d) => [d.id, `【${say('演练', 'EXERCISE')}】${d.title}`, d.status, d.mode, d.startedAt ?? '-']),
    );
  });

program
  .command('timeline')
  .description(say('打印演练时间线（每条记录的类型、时间和内容）及上报时限状态', "print a drill's timeline (each entry's kind, times and text) and its escalation clocks"))
  .argument('<drill-id>', say('演练 ID', 'drill id'))
  .option('--json', say('输出 JSON', 'print JSON'))
  .action(async (drillId: string, opts: { json?: boolean }, cmd: Command) => {
    if (!/^[0-9a-f-]{36}$/i.test(drillId)) throw new CommanderError(EXIT.usage, 'usage', say(`无效的演练 ID：${drillId}`, `not a drill id: ${drillId}`));
    const view = await withDatabase(cmd, (opened) => getDrillTimeline(cliContext(opened.database), drillId));
    if (opts.json) return console.log(JSON.stringify(view, null, 2));
    const clock = (ms: number | null) => (ms === null ? '-' : `${String(Math.floor(ms / 3_600_000)).padStart(2, '0')}:${String(Math.floor(ms / 60_000) % 60).padStart(2, '0')}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`);
    console.log(`【${say('演练', 'EXERCISE')}】${view.drill.title} — ${view.drill.status}`);
    printTable(
      ['#', say('演练时间', 'DRILL TIME'), say('时间', 'WALL TIME'), say('类型', 'KIND'), say('记录人', 'BY'), say('内容', 'TEXT')],
      view.entries.map((e) => [String(e.seq), clock(e.drillTimeMs), localTime(e.at), e.kind, e.actorLabel, (e.correctedBy ? say('（已更正）', '(corrected) ') : '') + e.text.replace(/\s+/g, ' ').slice(0, 80)]),
    );
    console.log('');
    printTable(
      [say('上报规则', 'RULE'), say('对象', 'RECIPIENT'), say('时限', 'WITHIN'), say('状态', 'STATE'), say('超时', 'LATE BY')],
      view.escalations.map((c) => [c.ruleKey, c.recipient, `${c.withinMinutes} min`, c.state, c.lateByMs ? `${Math.round(c.lateByMs / 60_000)} min` : '-']),
    );
  });

program
  .command('report')
  .description(
    say(
      '生成文档：record 应急演练记录、evaluation 演练总结评估报告、investigation 安全事件调查报告（演练或事件 ID）',
      'produce a document: record (drill record), evaluation (drill evaluation report), investigation (incident investigation report; a drill or incident id)',
    ),
  )
  .argument('<id>', say('演练 ID（调查报告也可用事件 ID）', 'drill id (or incident id for an investigation report)'))
  .addOption(new Option('--kind <kind>', say('文档类型', 'document kind')).choices([...REPORT_KINDS]).default('record'))
  .addOption(new Option('--format <format>', say('格式', 'format')).choices(['docx', 'md', 'html']).default('docx'))
  .addOption(new Option('--lang <lang>', say('语言', 'language')).choices(['zh', 'en']).default('zh'))
  .requiredOption('--out <file>', say('输出文件', 'output file'))
  .action(async (id: string, opts: { kind: ReportKind; format: 'docx' | 'md' | 'html'; lang: 'zh' | 'en'; out: string }, cmd: Command) => {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new CommanderError(EXIT.usage, 'usage', say(`无效的 ID：${id}`, `not an id: ${id}`));
    const report = await withDatabase(cmd, (opened) => renderReportById(cliContext(opened.database), id, { kind: opts.kind, format: opts.format, lang: opts.lang === 'en' ? 'en' : 'zh-CN' }));
    writeFileSync(opts.out, report.body);
    console.log(say(`已写入 ${opts.out}`, `Wrote ${opts.out}`));
  });

const audit = program.command('audit').description(say('审计日志', 'audit log'));

audit
  .command('verify')
  .description(say('重新计算审计哈希链，指出第一条被修改、删除或调换顺序的记录', 'recompute the audit hash chain and name the first entry edited, deleted or reordered'))
  .option('--json', say('输出 JSON', 'print JSON'))
  .action(async (opts: { json?: boolean }, cmd: Command) => {
    const result = await withDatabase(cmd, (opened) => verifyAuditChain({ db: opened.database.db }));
    if (opts.json) console.log(JSON.stringify(result, null, 2));
    else if (result.ok) console.log(say(`审计链完整：${result.entries} 条记录，链头 #${result.headSeq} ${result.headHash}`, `Audit chain intact: ${result.entries} entries, head #${result.headSeq} ${result.headHash}`));
    else console.log(say(`审计链已被篡改：${result.problem!.message}`, `Audit chain TAMPERED: ${result.problem!.message}`));
    process.exitCode = result.ok ? EXIT.ok : EXIT.failed;
  });

registerEvidenceCommands(program, withDatabase);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    if (err.code === 'usage') process.stderr.write(`firedrill: ${err.message}\n`);
    // help and version exit 0; commander's own usage errors exit 2
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.exitCode = reportError(err);
  }
}
