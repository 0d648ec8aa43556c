import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { expectAccounted, parseAll, rawOf } from '../../../../test/helpers/evidence-parsers.js';

describe('nginx and apache access logs', () => {
  const nginx = [
    '203.0.113.9 - - [02/Jan/2024:03:04:05 +0800] "GET /login.php?user=admin&p=1 HTTP/1.1" 200 612 "-" "Mozilla/5.0 (X11; Linux x86_64)" "-"',
    '2001:db8::7 - alice [02/Jan/2024:03:04:06 +0800] "POST /api/pay HTTP/2.0" 403 0 "https://shop.example.com/" "curl/8.0" "198.51.100.1, 10.0.0.1"',
    '10.0.0.1 - - [02/Jan/2024:03:04:07 +0800] "\\x16\\x03\\x01\\x00" 400 157 "-" "-" "-"',
    '10.0.0.2 - - [02/Jan/2024:03:04:08 +0800] "GET /q HTTP/1.1" 499 0 "-" "Go-http-client/1.1" "-" rt=0.002 uct="0.000"',
  ].join('\n');

  it('reads the combined format with the fields nginx appends', () => {
    const { events, report } = parseAll(nginx, { parser: 'nginx' });
    expect(report).toMatchObject({ lines: 4, events: 4, unparsed: 0 });
    expect(events[0]).toMatchObject({
      time: Date.UTC(2024, 0, 1, 19, 4, 5),
      source: 'nginx',
      type: 'http.request',
      user: null,
      srcIp: '203.0.113.9',
      target: '/login.php',
      action: 'GET',
      outcome: 'success',
      message: 'GET /login.php?user=admin&p=1 HTTP/1.1',
    });
    expect(events[0].fields).toEqual({ method: 'GET', path: '/login.php', query: 'user=admin&p=1', protocol: 'HTTP/1.1', status: 200, bytes: 612, user_agent: 'Mozilla/5.0 (X11; Linux x86_64)' });
    expect(events[1]).toMatchObject({ user: 'alice', srcIp: '2001:db8::7', outcome: 'failure', action: 'POST' });
    expect(events[1].fields).toMatchObject({ status: 403, referrer: 'https://shop.example.com/', x_forwarded_for: '198.51.100.1, 10.0.0.1' });
    expect(events[2]).toMatchObject({ action: null, target: null, outcome: 'failure' });
    expect(events[2].fields.request).toBe('\\x16\\x03\\x01\\x00');
    expect(events[3].fields).toMatchObject({ status: 499, rt: 0.002, uct: 0 });
  });

  it('reads the common log format, escaped quotes and vhost_combined (Apache)', () => {
    const input = [
      '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
      '192.168.1.21 - - [10/Oct/2000:13:55:37 -0700] "GET /a\\"b HTTP/1.0" 404 - "-" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
      'www.example.com:443 192.168.1.22 - - [10/Oct/2000:13:55:38 -0700] "GET / HTTP/1.1" 301 230 "-" "curl/7.0"',
    ].join('\n');
    const { events, report } = parseAll(input, { parser: 'apache' });
    expect(report.unparsed).toBe(0);
    expect(events[0]).toMatchObject({ source: 'apache', user: 'frank', srcIp: '127.0.0.1', time: Date.UTC(2000, 9, 10, 20, 55, 36) });
    expect(events[0].fields).toMatchObject({ status: 200, bytes: 2326 });
    expect(events[1].fields).toMatchObject({ path: '/a\\"b', status: 404, bytes: 0, user_agent: 'Mozilla/4.08 [en] (Win98; I ;Nav)' });
    expect(events[2]).toMatchObject({ srcIp: '192.168.1.22', outcome: 'success' });
    expect(events[2].fields.vhost).toBe('www.example.com:443');
  });

  it('counts lines that are not access log lines', () => {
    const input = Buffer.from(`${nginx}\nGET / HTTP/1.1\n\n`);
    const { events, report } = parseAll(input, { parser: 'nginx' });
    expect(report).toMatchObject({ lines: 6, unparsed: 1, unparsedLines: [5], skipped: 1 });
    expectAccounted(input, events, report);
  });
});

describe('MySQL general log', () => {
  it('reads the 8.0 layout: header skipped, connections, multi-line queries, quits, denied connections', () => {
    const input = Buffer.from(
      [
        '/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:',
        'Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock',
        'Time                 Id Command    Argument',
        '2024-01-02T03:04:05.123456Z\t   10 Connect\tapp@10.0.0.5 on shop using TCP/IP',
        '2024-01-02T03:04:05.200000Z\t   10 Query\tSELECT *',
        'FROM users',
        "WHERE name = '李雷'",
        '2024-01-02T03:04:06.000000Z\t   10 Quit\t',
        "2024-01-02T03:04:07.000000Z\t   11 Connect\tAccess denied for user 'root'@'10.0.0.9' (using password: YES)",
        '',
      ].join('\r\n'),
    );
    const { events, report } = parseAll(input, { parser: 'mysql' });
    expect(report).toMatchObject({ lines: 9, events: 4, skipped: 3, unparsed: 0 });
    expect(events[0]).toMatchObject({ type: 'db.connect', user: 'app', srcIp: '10.0.0.5', target: 'shop', outcome: 'success', time: Date.UTC(2024, 0, 2, 3, 4, 5, 123), lineNo: 4 });
    expect(events[0].fields).toMatchObject({ thread_id: 10, command: 'Connect', database: 'shop', via: 'TCP/IP' });
    expect(events[1]).toMatchObject({ type: 'db.query', user: 'app', srcIp: '10.0.0.5', action: 'SELECT', lineNo: 5 });
    expect(events[1].fields.sql).toBe("SELECT *\nFROM users\nWHERE name = '李雷'");
    expect(rawOf(input, events[1])).toBe("2024-01-02T03:04:05.200000Z\t   10 Query\tSELECT *\r\nFROM users\r\nWHERE name = '李雷'");
    expect(events[2]).toMatchObject({ type: 'session.close', user: 'app', lineNo: 8 });
    expect(events[3]).toMatchObject({ type: 'db.connect', user: 'root', srcIp: '10.0.0.9', outcome: 'failure' });
    expectAccounted(input, events, report);
  });

  it('reads the 5.6 layout, where the time is printed only when it changes (local time)', () => {
    const input = [
      '/usr/sbin/mysqld, Version: 5.6.51-log (MySQL Community Server (GPL)). started with:',
      'Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock',
      'Time                 Id Command    Argument',
      '240102  3:04:05\t    1 Connect\troot@localhost on test',
      '\t\t    1 Query\tselect @@version_comment limit 1',
      '240102 13:04:09\t    1 Init DB\tshop',
      '\t\t    1 Query\tUPDATE orders SET paid = 1',
      'WHERE id = 7',
      '\t\t    1 Quit\t',
    ].join('\n');
    const { events, report } = parseAll(input, { parser: 'mysql' });
    expect(report).toMatchObject({ events: 5, unparsed: 0 });
    expect(events[1]).toMatchObject({ type: 'db.query', user: 'root', time: Date.UTC(2024, 0, 1, 19, 4, 5), target: 'test' });
    expect(events[2]).toMatchObject({ action: 'USE', target: 'shop', time: Date.UTC(2024, 0, 2, 5, 4, 9) });
    expect(events[3]).toMatchObject({ action: 'UPDATE', target: 'shop', time: Date.UTC(2024, 0, 2, 5, 4, 9) });
    expect(events[3].fields.sql).toBe('UPDATE orders SET paid = 1\nWHERE id = 7');
  });
});

describe('PostgreSQL', () => {
  it('reads stderr logs with the default and pgBadger prefixes; DETAIL and STATEMENT lines belong to their message', () => {
    const input = Buffer.from(
      [
        '2024-01-02 03:04:05.123 CST [4321] LOG:  connection received: host=10.0.0.5 port=52344',
        '2024-01-02 03:04:05.130 CST [4321] LOG:  connection authorized: user=app database=shop application_name=psql',
        '2024-01-02 03:04:06.000 CST [4321] ERROR:  relation "userz" does not exist at character 15',
        '2024-01-02 03:04:06.000 CST [4321] STATEMENT:  SELECT * FROM userz',
        '\t  WHERE id = 1;',
        '2024-01-02 03:04:07.000 CST [4322] FATAL:  password authentication failed for user "postgres"',
        '2024-01-02 03:04:07.000 CST [4322] DETAIL:  Connection matched pg_hba.conf line 95: "host all all 0.0.0.0/0 md5"',
        '2024-01-02 03:04:08 UTC [4323]: [1-1] user=app,db=shop,app=psql,client=10.0.0.6 LOG:  duration: 0.512 ms  statement: select 1',
        '2024-01-02 03:04:09 UTC [4324-1] report@sales LOG:  disconnection: session time: 0:00:01.234 user=report database=sales host=10.0.0.7 port=50000',
      ].join('\n'),
    );
    const { events, report } = parseAll(input, { parser: 'postgres' });
    expect(report).toMatchObject({ lines: 9, events: 6, unparsed: 0 });
    expect(events[0]).toMatchObject({ type: 'log', srcIp: '10.0.0.5', action: 'connection_received', time: Date.UTC(2024, 0, 1, 19, 4, 5, 123) });
    expect(events[1]).toMatchObject({ type: 'db.connect', user: 'app', target: 'shop', outcome: 'success' });
    expect(events[2]).toMatchObject({ type: 'db.error', outcome: 'failure', message: 'relation "userz" does not exist at character 15', lineNo: 3 });
    expect(events[2].fields.sql).toBe('SELECT * FROM userz\n  WHERE id = 1;');
    expect(linesSpanned(input, events[2])).toBe(3);
    expect(events[3]).toMatchObject({ type: 'db.connect', user: 'postgres', outcome: 'failure' });
    expect(events[3].fields.detail).toBe('Connection matched pg_hba.conf line 95: "host all all 0.0.0.0/0 md5"');
    expect(events[4]).toMatchObject({ type: 'db.query', user: 'app', srcIp: '10.0.0.6', target: 'shop', action: 'SELECT', time: Date.UTC(2024, 0, 2, 3, 4, 8) });
    expect(events[4].fields).toMatchObject({ duration_ms: 0.512, sql: 'select 1', pid: 4323, application: 'psql' });
    expect(events[5]).toMatchObject({ type: 'session.close', user: 'report', srcIp: '10.0.0.7', target: 'sales' });
    expectAccounted(input, events, report);
  });

  it('reads csvlog records with quoted fields spanning lines', () => {
    const input = Buffer.from(
      [
        '2024-01-02 03:04:05.123 CST,"app","shop",4321,"10.0.0.5:52344",65937a15.10e1,1,"authentication",2024-01-02 03:04:05 CST,3/1,0,LOG,00000,"connection authorized: user=app database=shop",,,,,,,,,"psql","client backend",,0',
        '2024-01-02 03:04:06.000 CST,"app","shop",4321,"10.0.0.5:52344",65937a15.10e1,2,"SELECT",2024-01-02 03:04:05 CST,3/2,0,ERROR,42P01,"relation ""userz"" does not exist",,,,,,"SELECT *',
        'FROM userz",15,,"psql","client backend",,0',
        '2024-01-02 03:04:07.000 CST,"eve",,4400,"203.0.113.8:40000",65937a16.1130,1,"authentication",2024-01-02 03:04:07 CST,,0,FATAL,28P01,"password authentication failed for user ""eve""",,,,,,,,,"","client backend",,0',
      ].join('\n'),
    );
    const { events, report } = parseAll(input, { parser: 'postgres-csv' });
    expect(report).toMatchObject({ lines: 4, events: 3, unparsed: 0 });
    expect(events[0]).toMatchObject({ type: 'db.connect', user: 'app', srcIp: '10.0.0.5', target: 'shop', outcome: 'success' });
    expect(events[0].fields).toMatchObject({ port: 52344, session_id: '65937a15.10e1', backend_type: 'client backend' });
    expect(events[1]).toMatchObject({ type: 'db.error', message: 'relation "userz" does not exist', lineNo: 2 });
    expect(events[1].fields).toMatchObject({ sql_state: '42P01', sql: 'SELECT *\nFROM userz' });
    expect(linesSpanned(input, events[1])).toBe(2);
    expect(events[2]).toMatchObject({ type: 'db.connect', user: 'eve', srcIp: '203.0.113.8', outcome: 'failure' });
    expectAccounted(input, events, report);
  });
});

describe('JSON Lines', () => {
  it('maps the usual keys (ECS too), recognises event types and payments, keeps the rest', () => {
    const input = Buffer.from(
      [
        '{"@timestamp":"2024-01-02T03:04:05.000Z","event":{"action":"login","outcome":"failure"},"user":{"name":"alice"},"source":{"ip":"10.0.0.5"},"message":"bad password","trace":{"id":"abc"}}',
        '{"time":"2024-01-02 03:04:06","operator":"bob","client_ip":"10.0.0.6","action":"提现","amount":"1,000.50","order_id":"W1"}',
        'not json',
        '{"ts":1704135847,"type":"auth.success","username":"carol","host":"app1"}',
        '{"timestamp":1704135848123,"event":{"type":"refund"},"user":"dave","amount":12.5}',
        '[1,2,3]',
      ].join('\n'),
    );
    const { events, report } = parseAll(input, { parser: 'jsonl' });
    expect(report).toMatchObject({ lines: 6, events: 4, unparsed: 2, unparsedLines: [3, 6] });
    expect(events[0]).toMatchObject({ source: 'json', type: 'auth.failure', user: 'alice', srcIp: '10.0.0.5', action: 'login', outcome: 'failure', message: 'bad password', time: Date.UTC(2024, 0, 2, 3, 4, 5) });
    expect(events[0].fields).toEqual({ 'trace.id': 'abc' });
    expect(events[1]).toMatchObject({ type: 'payment', user: 'bob', srcIp: '10.0.0.6', action: '提现', time: Date.UTC(2024, 0, 1, 19, 4, 6) });
    expect(events[1].fields).toMatchObject({ amount: 1000.5, order_id: 'W1' });
    expect(events[2]).toMatchObject({ type: 'auth.success', user: 'carol', host: 'app1', time: 1704135847000 });
    expect(events[3]).toMatchObject({ type: 'refund', user: 'dave', time: 1704135848123 });
    expect(events[3].fields.amount).toBe(12.5);
    expectAccounted(input, events, report);
  });
});

describe('CSV', () => {
  const input = Buffer.from('登录时间,账号,IP,结果,备注\r\n2024-01-02 03:04:05,alice,10.0.0.5,成功,"多行\r\n备注"\r\n2024/1/2 3:04:06,bob,10.0.0.6,失败,\r\n');

  it('maps columns by an explicit mapping; unmapped columns go to fields; quoted fields span lines', () => {
    const { events, report } = parseAll(input, { parser: 'csv', csvColumns: { time: '登录时间', user: '账号', srcIp: 'IP', outcome: '结果' } });
    expect(report).toMatchObject({ lines: 4, events: 2, skipped: 1, unparsed: 0 });
    expect(events[0]).toMatchObject({ source: 'csv', user: 'alice', srcIp: '10.0.0.5', outcome: 'success', time: Date.UTC(2024, 0, 1, 19, 4, 5), lineNo: 2 });
    expect(events[0].fields).toEqual({ 备注: '多行\n备注' });
    expect(events[1]).toMatchObject({ user: 'bob', outcome: 'failure', time: Date.UTC(2024, 0, 1, 19, 4, 6), lineNo: 4 });
    expectAccounted(input, events, report);
  });

  it('maps the usual header names by itself', () => {
    const { events } = parseAll(input, { parser: 'csv' });
    expect(events[0]).toMatchObject({ user: 'alice', srcIp: '10.0.0.5', outcome: 'success' });
  });

  it('names a mapped column missing from the header', () => {
    expect(() => parseAll(input, { parser: 'csv', csvColumns: { time: '时间', user: '账号' } })).toThrow(expect.objectContaining({ code: 'evidence_csv_missing_column', params: { column: '时间', key: 'time' } }));
  });
});

describe('WeChat Pay bill', () => {
  const bill = [
    '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注',
    '`2024-01-02 03:04:05,`wx2421b1c4370ec43b,`10000100,`0,`,`4200001234202401020001,`ORD20240102001,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`SUCCESS,`CMB_CREDIT,`CNY,`88.00,`0.00,`0,`0,`0.00,`0.00,`,`,`会员充值,`attach1,`0.53000,`0.60%,`88.00,`0.00,`',
    '`2024-01-02 03:05:06,`wx2421b1c4370ec43b,`10000100,`0,`,`4200001234202401020002,`ORD20240102002,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`REFUND,`CMB_CREDIT,`CNY,`0.00,`0.00,`50000001,`RF001,`20.00,`0.00,`ORIGINAL,`SUCCESS,`会员充值,`,`-0.12000,`0.60%,`20.00,`20.00,`',
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    '`2,`88.00,`20.00,`0.00,`0.41000,`108.00,`20.00',
  ].join('\r\n');

  it('reads a GBK bill: payments and refunds, backticks removed, summary rows skipped', () => {
    const input = iconv.encode(bill, 'gbk');
    const { events, report } = parseAll(input, {});
    expect(report).toMatchObject({ parser: 'wechatpay', encoding: 'gb18030', lines: 5, events: 2, skipped: 3, unparsed: 0 });
    expect(events[0]).toMatchObject({
      time: Date.UTC(2024, 0, 1, 19, 4, 5),
      source: 'wechatpay',
      type: 'payment',
      user: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      target: '10000100',
      action: 'pay',
      outcome: 'success',
    });
    expect(events[0].fields).toMatchObject({
      amount: 88,
      currency: 'CNY',
      order_id: 'ORD20240102001',
      transaction_id: '4200001234202401020001',
      merchant_id: '10000100',
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      payer: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      product: '会员充值',
      fee: 0.53,
      attach: 'attach1',
    });
    expect(events[1]).toMatchObject({ type: 'refund', action: 'refund' });
    expect(events[1].fields).toMatchObject({ amount: 20, refund_amount: 20, refund_id: '50000001', trade_state: 'REFUND' });
    // Offsets are byte offsets in the GBK file.
    const second = input.indexOf(Buffer.from('\r\n`2024-01-02 03:05:06')) + 2;
    expect(events[1].offset).toBe(second);
    expect(iconv.decode(input.subarray(events[1].offset, events[1].offset + events[1].length), 'gbk')).toBe(bill.split('\r\n')[2]);
    expectAccounted(input, events, report);
  });

  it('finds columns by name in a bill with fewer columns', () => {
    const input = ['交易时间,商户号,微信订单号,商户订单号,用户标识,交易类型,交易状态,货币种类,总金额,商品名称', '`2024-01-02 03:04:05,`10000100,`42000001,`ORD1,`oABC,`APP,`SUCCESS,`CNY,`9.90,`咖啡'].join('\n');
    const { events } = parseAll(input, { parser: 'wechatpay', encoding: 'utf8' });
    expect(events[0]).toMatchObject({ type: 'payment', user: 'oABC' });
    expect(events[0].fields).toMatchObject({ amount: 9.9, order_id: 'ORD1', product: '咖啡' });
  });

  it('reads a fund-flow bill (资金账单): who moved the balance, payouts and fees, summary skipped', () => {
    const fund = [
      '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号',
      '`2020-04-17 23:33:10,`4200000123202004170001,`F001,`交易,`交易,`收入,`88.00,`10088.00,`system,`,`ORD1',
      '`2020-04-17 23:35:00,`10100123452020041700001,`F002,`企业付款,`企业付款,`支出,`5000.00,`5088.00,`1900000109API,`佣金提现,`W20200417001',
      '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额',
      '`2,`1,`88.00,`1,`5000.00',
    ].join('\r\n');
    const input = iconv.encode(fund, 'gbk');
    const { events, report } = parseAll(input, {});
    expect(report).toMatchObject({ parser: 'wechatpay', lines: 5, events: 2, skipped: 3, unparsed: 0 });
    expect(events[0]).toMatchObject({ type: 'payment', action: 'pay', user: 'system', time: Date.UTC(2020, 3, 17, 15, 33, 10) });
    expect(events[0].fields).toMatchObject({ amount: 88, balance: 10088, direction: 'income' });
    expect(events[1]).toMatchObject({ type: 'payment', action: 'payout', user: '1900000109API', target: 'W20200417001', outcome: 'success' });
    expect(events[1].fields).toMatchObject({ amount: 5000, direction: 'expense', note: '佣金提现', flow_id: 'F002' });
    expectAccounted(input, events, report);
  });
});

function linesSpanned(bytes: Buffer, e: { offset: number; length: number }): number {
  let n = 1;
  for (let i = e.offset; i < e.offset + e.length; i++) if (bytes[i] === 10) n++;
  return n;
}
