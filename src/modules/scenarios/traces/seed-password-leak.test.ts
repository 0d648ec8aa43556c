import { describe, expect, it } from 'vitest';
import { checkBill, checkJsonLine, checkMysqlLine } from '../../../../test/helpers/trace-formats.js';
import { generateTraces } from './index.js';

/** The seed drill: 2020-04-18 09:00–11:30 Asia/Shanghai; the attack the night before. */
const start = Date.parse('2020-04-18T09:00:00+08:00');
const end = Date.parse('2020-04-18T11:30:00+08:00');
const bundle = generateTraces('seed-password-leak', { seed: 'seed-drill', start, end });
const text = (name: string) => bundle.files.find((f) => f.name === name)!.content.toString('utf8');
const lines = (name: string) => text(name).trimEnd().split('\n');
const [login, tampering, payout] = bundle.truth.steps;
const attackerIp = login.srcIp!;
const FINANCE = bundle.truth.placeholders.finance_accounts;
const VICTIMS = ['agent_1027', 'agent_1033', 'agent_1090'];

describe('the seed bundle (seed-password-leak)', () => {
  it('has the three steps of the scenario’s expected findings, in order', () => {
    expect(bundle.truth.steps.map((s) => s.key)).toEqual(['illegal-login', 'balance-tampering', 'payout-path']);
    expect(login.time).toBeLessThan(tampering.time);
    expect(tampering.time).toBeLessThan(payout.time);
    expect(bundle.files.map((f) => f.name)).toEqual(['auth.log', 'syslog', 'access.log', 'mysql-general.log', 'operation.jsonl', 'wechatpay-bill.csv', 'wechatpay-fundflow.csv']);
  });

  it('step 1: one root password login from a new address at 23:31 the night before, with no failure before it', () => {
    expect(attackerIp).toMatch(/^103\.\d+\.\d+\.27$/);
    const auth = lines('auth.log');
    const accepted = auth.filter((l) => l.includes(`Accepted password for root from ${attackerIp} port 51544 ssh2`));
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatch(/^Apr 17 23:31:\d\d app-server sshd\[\d+\]: /);
    expect(auth.filter((l) => l.includes(attackerIp) && /Failed|Invalid|authentication failure/.test(l))).toEqual([]);
    // Nowhere in any file before the login: a new address.
    const firstIndex = auth.findIndex((l) => l.includes(attackerIp));
    expect(auth[firstIndex]).toBe(accepted[0]);
    expect(bundle.attackerLines.some((r) => r.file === 'auth.log' && auth[r.lineNo - 1] === accepted[0] && r.step === 'illegal-login')).toBe(true);
    // R&D logs in as root with the same password from the office every working day: the new address stands out.
    const rootSources = new Set(auth.filter((l) => l.includes('Accepted password for root')).map((l) => / from (\S+) /.exec(l)![1]));
    expect(rootSources.size).toBeGreaterThanOrEqual(2);
    expect(auth.filter((l) => /^Apr 1[3-7] /.test(l) && l.includes('Accepted password for root') && !l.includes(attackerIp)).length).toBeGreaterThanOrEqual(5);
    // The internet's guessers fail all the time, and a long brute force that never succeeds is there as a false lead.
    const failedByIp = new Map<string, number>();
    for (const l of auth) {
      const m = /Failed password for root from (\S+) /.exec(l);
      if (m) failedByIp.set(m[1], (failedByIp.get(m[1]) ?? 0) + 1);
    }
    expect(Math.max(...failedByIp.values())).toBeGreaterThanOrEqual(150);
    for (const ip of failedByIp.keys()) expect(auth.some((l) => l.includes(`Accepted password for root from ${ip} `))).toBe(false);
  });

  it('step 2: root at the MySQL prompt during that SSH session rebinds three agents and raises their balances', () => {
    const records = lines('mysql-general.log').slice(3).map(checkMysqlLine);
    const rootConnects = records.filter((r) => r.command === 'Connect' && r.argument.startsWith('root@localhost') && r.micros / 1000 >= login.time && r.micros / 1000 < login.time + 3600_000);
    expect(rootConnects).toHaveLength(1);
    const thread = rootConnects[0].thread;
    const session = records.filter((r) => r.thread === thread && r.micros >= rootConnects[0].micros);
    const updates = session.filter((r) => /^update /i.test(r.argument)).map((r) => r.argument);
    expect(updates).toContain('update agent_wallet set balance=balance+16200 where agent_id in (1027,1033,1090)');
    expect(updates.filter((u) => /^update agent set openid='o3x[\w-]{25}' where id=(1027|1033|1090)$/.test(u))).toHaveLength(3);
    expect(session.some((r) => r.argument.startsWith('select a.id,a.account'))).toBe(true);
    expect(session[session.length - 1].command).toBe('Quit');
    // The excerpt the scenario's inject shows: "from 23:36".
    expect(new Date(rootConnects[0].micros / 1000).toISOString()).toMatch(/^2020-04-17T15:36:/);
    // Between the SSH login and its logout.
    const logout = lines('auth.log').find((l) => l.includes(`Disconnected from user root ${attackerIp} port 51544`))!;
    expect(logout).toMatch(/^Apr 18 00:/);
    // The application's own account only ever subtracts from balances.
    expect(records.filter((r) => /UPDATE agent_wallet SET balance=balance\+/i.test(r.argument) && r.thread !== thread)).toEqual([]);
  });

  it('step 3: seven withdrawals by the three agents, none by finance, paid out two minutes later in the fund-flow bill', () => {
    const ops = lines('operation.jsonl').map((l) => checkJsonLine(l).record);
    const withdrawals = ops.filter((r) => r.action === 'withdraw' && VICTIMS.includes(r.user as string) && Date.parse(r.time as string) >= login.time);
    expect(withdrawals).toHaveLength(7);
    for (const w of withdrawals) expect(FINANCE).not.toContain(w.user);
    expect(withdrawals.reduce((s, w) => s + (w.amount as number), 0)).toBe(48_600);
    for (const v of VICTIMS) expect(withdrawals.filter((w) => w.user === v).reduce((s, w) => s + (w.amount as number), 0)).toBe(16_200);
    expect(withdrawals[0].time).toMatch(/^2020-04-17T23:50:\d\d\+08:00$/);
    expect(withdrawals[6].time).toMatch(/^2020-04-18T08:45:\d\d\+08:00$/);
    expect(new Set(withdrawals.map((w) => w.target)).size).toBe(3);
    // Normal withdrawals in the baseline are operated by finance staff.
    const normal = ops.filter((r) => r.action === 'withdraw' && Date.parse(r.time as string) < login.time);
    expect(normal.length).toBeGreaterThan(0);
    for (const w of normal) expect(FINANCE).toContain(w.user);

    const fund = checkBill(bundle.files.find((f) => f.name === 'wechatpay-fundflow.csv')!.content, 'fund', '+08:00');
    const payouts = fund.rows.filter((r, i) => r[3] === '企业付款' && fund.times[i] >= login.time);
    expect(payouts).toHaveLength(7);
    withdrawals.forEach((w, i) => {
      const row = payouts[i];
      expect(Number(row[6])).toBe(w.amount);
      expect(row[10]).toBe(w.order);
      const lag = Date.parse(`${row[0].replace(' ', 'T')}+08:00`) - Date.parse(w.time as string);
      expect(lag).toBeGreaterThanOrEqual(100_000);
      expect(lag).toBeLessThanOrEqual(140_000);
      expect(row[8]).toMatch(/^\d{10}API$/);
    });
    expect(payouts[0][0]).toMatch(/^2020-04-17 23:52:/);
    expect(payouts[6][0]).toMatch(/^2020-04-18 08:47:/);
    // The merchant-records inject: balance CNY 126,300 when finance looks.
    expect(fund.rows[fund.rows.length - 1][7]).toBe('126300.00');

    // Through the mini-program API from mobile addresses.
    const posts = lines('access.log').filter((l) => l.includes('"POST /api/v1/agent/withdraw HTTP/1.1" 200') && bundle.attackerLines.some((r) => r.file === 'access.log' && lines('access.log')[r.lineNo - 1] === l));
    expect(posts).toHaveLength(7);
    for (const p of posts) expect(p).toContain('MicroMessenger');
  });

  it('bills add up: the summary rows match the rows, and balances run without a gap', () => {
    const trade = checkBill(bundle.files.find((f) => f.name === 'wechatpay-bill.csv')!.content, 'trade', '+08:00');
    const sum = (col: number) => trade.rows.reduce((s, r) => s + Math.round(Number(r[col]) * 100), 0);
    expect(Number(trade.summary[0])).toBe(trade.rows.length);
    expect(Math.round(Number(trade.summary[1]) * 100)).toBe(sum(12));
    expect(Math.round(Number(trade.summary[2]) * 100)).toBe(sum(16));
    expect(Math.round(Number(trade.summary[4]) * 100)).toBe(sum(22));
    expect(trade.rows.some((r) => r[9] === 'REFUND')).toBe(true);
    for (const r of trade.rows) {
      expect(r[5]).toMatch(/^4200\d{24}$/);
      expect(r[7]).toMatch(/^o3x[\w-]{25}$/);
      expect(r[22]).toMatch(/^-?\d+\.\d{5}$/);
    }
    const fund = checkBill(bundle.files.find((f) => f.name === 'wechatpay-fundflow.csv')!.content, 'fund', '+08:00');
    let balance = Math.round(Number(fund.rows[0][7]) * 100) - (fund.rows[0][5] === '收入' ? 1 : -1) * Math.round(Number(fund.rows[0][6]) * 100);
    for (const r of fund.rows) {
      balance += (r[5] === '收入' ? 1 : -1) * Math.round(Number(r[6]) * 100);
      expect(Math.round(Number(r[7]) * 100)).toBe(balance);
    }
    expect(Number(fund.summary[0])).toBe(fund.rows.length);
    expect(Number(fund.summary[1]) + Number(fund.summary[3])).toBe(fund.rows.length);
  });

  it('has a few tens of thousands of lines, and the optional mass export only when asked', () => {
    const total = bundle.files.reduce((n, f) => n + f.content.toString('latin1').split('\n').length - 1, 0);
    expect(total).toBeGreaterThan(10_000);
    expect(total).toBeLessThan(40_000);
    expect(text('mysql-general.log')).not.toContain("LOCK TABLES `member` READ");
    const withExport = generateTraces('seed-password-leak', { seed: 'seed-drill', start, end, includeOptionalSteps: true });
    expect(withExport.truth.steps.map((s) => s.key)).toEqual(['illegal-login', 'balance-tampering', 'payout-path', 'customer-export']);
    const dump = withExport.files.find((f) => f.name === 'mysql-general.log')!.content.toString('utf8');
    // mysqldump without --single-transaction, as root: it locks the table, then reads all of it.
    const dumpThread = /\t( *\d+) Query\tLOCK TABLES `member` READ \/\*!32311 LOCAL \*\/\n/.exec(dump)![1];
    expect(dump).toContain(`\t${dumpThread} Query\tSELECT /*!40001 SQL_NO_CACHE */ * FROM \`member\`\n`);
    expect(dump).toMatch(new RegExp(`\\t${dumpThread} Connect\\troot@localhost on  using Socket\\n`));
  });

  it.each(['a', 'b', 'c'])('keeps the story whatever the seed (seed %s)', (seed) => {
    const other = generateTraces('seed-password-leak', { seed, start, end });
    const auth = other.files[0].content.toString('utf8');
    const ip = other.truth.steps[0].srcIp!;
    expect(auth.match(new RegExp(`Accepted password for root from ${ip.replace(/\./g, '\\.')} port 51544 ssh2`, 'g'))).toHaveLength(1);
    expect(auth).not.toMatch(new RegExp(`(Failed|Invalid).* ${ip.replace(/\./g, '\\.')} `));
    const ops = other.files[4].content.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const w = ops.filter((r) => r.action === 'withdraw' && VICTIMS.includes(r.user as string) && Date.parse(r.time as string) > other.truth.steps[0].time);
    expect(w).toHaveLength(7);
    expect(w.reduce((n, r) => n + (r.amount as number), 0)).toBe(48_600);
    expect(other.truth.steps.map((st) => st.key)).toEqual(['illegal-login', 'balance-tampering', 'payout-path']);
  });
});
