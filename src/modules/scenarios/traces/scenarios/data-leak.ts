/**
 * Data leak (data-leak.yaml): the database backups sit in a bucket left public-read with listing on. Five nights
 * before the drill, 193.x.x.8 tries some 300 bucket names (almost all 404) from 03:10 to 03:40, lists
 * shop-db-backup at 03:41 and downloads member_full_20250301.sql.gz; since then the file has been downloaded in
 * full five times by three foreign addresses. The object-storage gateway's access log (nginx, combined format)
 * shows it between the shop's image traffic and the weekly backup upload. The test database's general log shows
 * password guessing against its internet-facing root; with the optional step, one guess succeeds and the member
 * table is dumped.
 */
import { clockTime, CONSUMER_HOURS, daysBetween, publicIp, scannerIp, timeOfDay } from '../background.js';
import { HOUR, MINUTE } from '../clock.js';
import type { ScenarioContext, ScenarioGenerator, ScenarioTraces } from '../scenario.js';
import type { TruthStep } from '../types.js';
import { mysqlBanner, mysqldump, MysqlServer } from '../writers/mysql.js';
import { NginxLog } from '../writers/web.js';

const SECOND = 1000;
const BUCKET = 'shop-db-backup';
const OBJECT = 'member_full_20250301.sql.gz';
const OBJECT_BYTES = 2_254_857_830;
const WORDS = ['shop', 'mall', 'db', 'data', 'backup', 'bak', 'dump', 'sql', 'mysql', 'prod', 'test', 'dev', 'files', 'static', 'img', 'assets', 'logs', 'archive', 'export', 'member', 'user', 'order', 'oss', 'cos', 'www', 'app', 'api', 'admin', 'private', 'public'];

function generate(ctx: ScenarioContext): ScenarioTraces {
  const { b, zone, rng, start, coverage, scale } = ctx;
  const bg = rng.stream('background');
  const atk = rng.stream('attack');
  const drillDay = zone.dayStart(start);
  const days = daysBetween(zone, coverage.from, coverage.to, drillDay);
  const gateway = new NginxLog(
    b.file({
      name: 'storage-access.log',
      parser: 'nginx',
      host: 'oss-gateway',
      description: { 'zh-CN': '对象存储网关访问日志（nginx combined 格式）', en: 'Object-storage gateway access log (nginx combined format)' },
    }),
    zone,
  );
  const testDb = new MysqlServer(
    b.file({
      name: 'testdb-mysql-general.log',
      parser: 'mysql',
      host: 'test-db',
      description: { 'zh-CN': '测试环境数据库 MySQL 通用查询日志', en: 'MySQL general query log of the test database' },
      preamble: mysqlBanner('5.7.33-log', '/var/lib/mysql/mysql.sock'),
    }),
    bg.stream('mysql'),
    bg.int(2000, 9000),
  );

  // Background: images through the CDN, the weekly backup upload, developers using the test database.
  const life = bg.stream('life');
  const cdn = Array.from({ length: 12 }, () => `${life.pick(['61.147', '183.131', '221.204', '42.81'])}.${life.int(0, 255)}.${life.int(1, 254)}`);
  const backupIp = `10.0.1.${life.int(10, 40)}`;
  for (const day of days) {
    for (let i = life.poisson(160 * scale); i > 0; i--) {
      const t = timeOfDay(life, day, CONSUMER_HOURS);
      const img = `/shop-static/goods/${life.int(1000, 1999)}/${life.hex(16)}.jpg`;
      b.at(t, () => gateway.request(t, { ip: life.pick(cdn), method: 'GET', path: img, status: life.chance(0.9) ? 200 : 304, bytes: life.int(30_000, 400_000), userAgent: 'Aliyun-CDN/1.0' }));
    }
    if (day.weekday === 0) {
      const t = clockTime(zone, day.start, '03:20:11');
      const name = `member_full_${zone.compactDate(t)}.sql.gz`;
      b.at(t, () => gateway.request(t + 9 * MINUTE, { ip: backupIp, method: 'PUT', path: `/${BUCKET}/${name}`, status: 200, bytes: 0, userAgent: 'aliyun-sdk-python/2.13.1(Linux/4.15.0-101-generic/x86_64;3.6.9)' }));
    }
    if (day.workday) {
      for (let i = life.int(0, 2); i > 0; i--) {
        const t = day.start + life.int(10, 17) * HOUR + life.int(0, 59) * MINUTE;
        b.at(t, () => {
          const id = testDb.connect(t, 'dev', '10.0.2.35', 'shop_test', 'TCP/IP');
          let at = t;
          for (const sql of ['SET NAMES utf8mb4', 'SELECT * FROM orders WHERE status = 0 LIMIT 50', 'SELECT COUNT(*) FROM member']) testDb.query((at += life.int(20, 4000)), id, sql);
          testDb.quit(at + life.int(1, 60) * SECOND, id);
        });
      }
    }
    // Password guessers against the test database's port 3306, open to the internet.
    for (let i = life.poisson(6 * scale); i > 0; i--) {
      const t = timeOfDay(life, day, CONSUMER_HOURS.map(() => 1));
      const ip = scannerIp(life);
      const tries = life.int(1, 12);
      b.at(t, () => {
        for (let k = 0; k < tries; k++) testDb.accessDenied(t + k * life.int(300, 2500), 'root', ip);
      });
    }
  }

  // --- the attack ---------------------------------------------------------------------------------------------
  const steps: TruthStep[] = [];
  const night = zone.dayStart(start, -5);
  const prober = `193.${atk.int(30, 250)}.${atk.int(0, 255)}.8`;
  const probeStart = clockTime(zone, night, `03:10:${atk.int(10, 50)}`);
  const listAt = clockTime(zone, night, `03:41:${atk.int(5, 50)}`);
  const names = new Set<string>();
  while (names.size < 312) {
    const a = atk.pick(WORDS);
    const c = atk.pick(WORDS);
    const name = atk.chance(0.3) ? `${a}-${c}-${atk.pick(['2020', '2025', '01', 'bak', 'new'])}` : `${a}-${c}`;
    if (a !== c && name !== BUCKET) names.add(name);
  }
  const probeNames = [...names];
  const ua = 'aws-cli/1.18.39 Python/3.6.9 Linux/4.15.0-96-generic botocore/1.15.39';
  b.at(probeStart, () => {
    const stepMs = (listAt - probeStart - 10 * SECOND) / probeNames.length;
    probeNames.forEach((name, i) => {
      const t = Math.round(probeStart + i * stepMs);
      const exists = name === 'shop-static' || name === 'shop-logs';
      gateway.request(t, { ip: prober, method: 'GET', path: `/${name}/?list-type=2&max-keys=1000`, status: exists ? 403 : 404, bytes: exists ? 243 : 215, userAgent: ua }, 'bucket-enumeration');
    });
    gateway.request(listAt, { ip: prober, method: 'GET', path: `/${BUCKET}/?list-type=2&max-keys=1000`, status: 200, bytes: 3187, userAgent: ua }, 'bucket-enumeration');
  });
  steps.push({
    key: 'bucket-enumeration',
    title: { 'zh-CN': '字典枚举存储桶名并列出备份桶', en: 'Bucket names guessed from a word list; the backup bucket listed' },
    description: {
      'zh-CN': `${prober} 在 03:10–03:40 对 300 多个桶名发 ListObjects，几乎全部 404；03:41 列出 ${BUCKET} 返回 200（公共读且允许列举）。`,
      en: `${prober} sent ListObjects to more than 300 bucket names between 03:10 and 03:40, almost all 404; at 03:41 listing ${BUCKET} returned 200 (public read, listing on).`,
    },
    time: probeStart,
    endTime: listAt,
    srcIp: prober,
    host: 'oss-gateway',
    ruleNames: [],
    match: { type: ['http.request'], srcIp: prober },
  });

  const downloaders = [prober, publicIp(atk), publicIp(atk)];
  const downloads = [
    { ip: downloaders[0], t: listAt + atk.int(60, 300) * SECOND },
    { ip: downloaders[1], t: night + (1 * 24 + atk.int(1, 20)) * HOUR + atk.int(0, 59) * MINUTE },
    { ip: downloaders[2], t: night + (2 * 24 + atk.int(1, 20)) * HOUR + atk.int(0, 59) * MINUTE },
    { ip: downloaders[1], t: night + (3 * 24 + atk.int(1, 12)) * HOUR + atk.int(0, 59) * MINUTE },
    { ip: downloaders[2], t: night + (4 * 24 + atk.int(0, 6)) * HOUR + atk.int(0, 59) * MINUTE },
  ].sort((a, b) => a.t - b.t);
  const agents = [ua, 'Wget/1.20.3 (linux-gnu)', 'curl/7.68.0'];
  for (const d of downloads) {
    // nginx logs a request when it completes: a 2.1 GB download takes a while.
    const done = d.t + atk.int(4, 25) * MINUTE;
    b.at(done, () => gateway.request(done, { ip: d.ip, method: 'GET', path: `/${BUCKET}/${OBJECT}`, status: 200, bytes: OBJECT_BYTES, userAgent: agents[downloaders.indexOf(d.ip)] }, 'backup-downloaded'));
  }
  steps.push({
    key: 'backup-downloaded',
    title: { 'zh-CN': '全量会员备份被完整下载 5 次', en: 'The full member backup downloaded in full 5 times' },
    description: {
      'zh-CN': `${OBJECT}（2.1 GB）自枚举当晚起被 3 个境外地址完整下载 5 次，与网上出售的样本一致。`,
      en: `${OBJECT} (2.1 GB) was downloaded in full 5 times by 3 foreign addresses from the night of the enumeration on, matching the sample on sale.`,
    },
    time: downloads[0].t,
    endTime: downloads[downloads.length - 1].t + 25 * MINUTE,
    srcIp: downloaders[0],
    host: 'oss-gateway',
    ruleNames: [],
    match: { type: ['http.request'], srcIp: downloaders },
  });

  if (ctx.includeOptionalSteps) {
    const ip = scannerIp(atk);
    const t = zone.dayStart(start, -1) + atk.int(1, 4) * HOUR + atk.int(0, 59) * MINUTE;
    b.at(t, () => {
      for (let k = 0; k < 40; k++) testDb.accessDenied(t + k * 1500, 'root', ip, true, 'test-db-exposure');
      const at = t + 40 * 1500 + 2000;
      const id = testDb.connect(at, 'root', ip, '', 'TCP/IP', 'test-db-exposure');
      testDb.query(at + 40, id, 'select @@version_comment limit 1', 'test-db-exposure');
      testDb.quit(at + 900, id, 'test-db-exposure');
      mysqldump(testDb, at + 5000, { user: 'root', host: ip, db: 'shop_test', tables: ['member'], consistent: false, msPerTable: () => 40_000, step: 'test-db-exposure' });
    });
    steps.push({
      key: 'test-db-exposure',
      title: { 'zh-CN': '测试库 root 弱口令被猜中并导出会员表', en: 'Test database: weak root password guessed, member table dumped' },
      description: {
        'zh-CN': `${ip} 对测试库 3306 猜 root 口令 40 次后登录成功，随即整表导出 member。`,
        en: `${ip} guessed the test database's root password 40 times over port 3306, got in and dumped the whole member table.`,
      },
      time: t,
      endTime: t + 3 * MINUTE,
      srcIp: ip,
      host: 'test-db',
      user: 'root',
      ruleNames: ['db_mass_export'],
      match: { type: ['db.connect', 'db.query'], user: 'root' },
    });
  }

  return { steps, placeholders: { admin_accounts: ['root'], finance_accounts: [], app_db_accounts: ['dev', 'shop_app'] } };
}

export const dataLeak: ScenarioGenerator = {
  key: 'data-leak',
  baselineDays: 8,
  evidenceTakenAfterMs: 55 * MINUTE,
  generate,
};
