/**
 * Website defacement (website-defacement.yaml): a WordPress site with a three-year-old gallery plugin. Three
 * nights ago 45.x.x.19 probed it (SQL injection, path traversal), uploaded a web shell through the plugin's
 * upload.php at 02:13:58, drove it with 214 POSTs, reset the admin password in the database through it, signed
 * in and saved 38 hidden gambling links into the footer setting (02:31). Two days ago another address fetched a
 * second shell disguised as a style cache. Background: visitors, crawlers, marketing editing pages, scanners.
 */
import { between, clockTime, CONSUMER_HOURS, daysBetween, publicIp, timeOfDay, webCrawlers, webScanners, broadbandIp } from '../background.js';
import { MINUTE } from '../clock.js';
import type { ScenarioContext, ScenarioGenerator, ScenarioTraces } from '../scenario.js';
import type { TruthStep } from '../types.js';
import { mysqlBanner, MysqlServer, sqlString } from '../writers/mysql.js';
import { NginxLog, USER_AGENTS } from '../writers/web.js';

const SECOND = 1000;
const HOST = 'www';
const PAGES = ['/', '/about-us/', '/products/', '/products/led-panel/', '/products/solar-lights/', '/news/', '/news/2020-canton-fair/', '/contact/', '/gallery/', '/en/', '/en/products/'];
const SHELL = '/wp-content/uploads/gallery/2025/thumb_cache.php';
const SECOND_SHELL = '/wp-includes/css/xmlrpc-cache.php';

function generate(ctx: ScenarioContext): ScenarioTraces {
  const { b, zone, rng, start, coverage, scale } = ctx;
  const bg = rng.stream('background');
  const atk = rng.stream('attack');
  const drillDay = zone.dayStart(start);
  const days = daysBetween(zone, coverage.from, coverage.to, drillDay);
  const nginx = new NginxLog(b.file({ name: 'access.log', parser: 'nginx', host: HOST, description: { 'zh-CN': '官网 nginx 访问日志', en: 'nginx access log of the company website' } }), zone);
  const mysql = new MysqlServer(
    b.file({
      name: 'mysql-general.log',
      parser: 'mysql',
      host: HOST,
      description: { 'zh-CN': '官网 MySQL 通用查询日志', en: 'MySQL general query log of the website' },
      preamble: mysqlBanner('5.7.30-0ubuntu0.18.04.1 ((Ubuntu))', '/var/run/mysqld/mysqld.sock'),
    }),
    bg.stream('mysql'),
    bg.int(100_000, 400_000),
  );

  /** One PHP request: WordPress connects, loads its options and the page, and disconnects. */
  const wpQueries = (t: number, extra: string[], step?: string) => {
    const id = mysql.connect(t, 'wp_user', 'localhost', 'wordpress', 'Socket', step);
    let at = t + 1;
    for (const sql of ["SET NAMES 'utf8mb4' COLLATE 'utf8mb4_unicode_ci'", "SELECT option_name, option_value FROM wp_options WHERE autoload = 'yes'", ...extra]) mysql.query((at += bg.int(1, 4)), id, sql, step);
    mysql.quit(at + bg.int(5, 40), id, step);
  };
  const page = (t: number, ip: string, ua: string, path: string) => {
    nginx.request(t, { ip, method: 'GET', path, status: 200, bytes: bg.int(14_000, 48_000), referrer: bg.chance(0.4) ? 'https://www.baidu.com/' : undefined, userAgent: ua });
    const slug = path.split('/').filter(Boolean).pop() ?? 'home';
    wpQueries(t, [`SELECT wp_posts.* FROM wp_posts WHERE 1=1 AND wp_posts.post_name = '${slug}' AND wp_posts.post_type = 'page' ORDER BY wp_posts.post_date DESC`]);
  };

  const life = bg.stream('life');
  for (const day of days) {
    for (let i = life.poisson(90 * scale); i > 0; i--) {
      const t = timeOfDay(life, day, CONSUMER_HOURS);
      const ip = life.chance(0.3) ? publicIp(life) : broadbandIp(life);
      const ua = life.pick([...USER_AGENTS.chromeWin, ...USER_AGENTS.macSafari]);
      const n = life.int(1, 4);
      b.at(t, () => {
        let at = t;
        for (let k = 0; k < n; k++) {
          page(at, ip, ua, life.pick(PAGES));
          at += life.int(5, 90) * SECOND;
        }
      });
    }
    if (day.workday && life.chance(0.4)) {
      // Marketing signs in and edits a news page.
      const t = between(life, day, '10:00', '17:00');
      const ip = broadbandIp(life);
      const ua = USER_AGENTS.chromeWin[0];
      b.at(t, () => {
        nginx.request(t, { ip, method: 'POST', path: '/wp-login.php', status: 302, bytes: 0, referrer: 'https://www.example-led.cn/wp-login.php', userAgent: ua });
        wpQueries(t, [`SELECT * FROM wp_users WHERE user_login = 'marketing' LIMIT 1`]);
        const e = t + life.int(3, 20) * MINUTE;
        nginx.request(e, { ip, method: 'POST', path: '/wp-admin/post.php', status: 302, bytes: 0, referrer: 'https://www.example-led.cn/wp-admin/post.php?post=412&action=edit', userAgent: ua });
        wpQueries(e, [`UPDATE wp_posts SET post_modified = ${sqlString(zone.plain(e))} WHERE ID = 412`]);
      });
    }
  }
  webScanners(b, nginx, bg.stream('web-scan'), { days, perDay: 30 * scale });
  webCrawlers(b, nginx, bg.stream('crawl'), { days, perDay: 60 * scale, paths: PAGES });

  // --- the attack ---------------------------------------------------------------------------------------------
  const steps: TruthStep[] = [];
  const night = zone.dayStart(start, -3);
  const ip = `45.${atk.int(60, 250)}.${atk.int(0, 255)}.19`;
  const ua = USER_AGENTS.chromeWin[0];
  const probeStart = clockTime(zone, night, `01:5${atk.int(2, 6)}:${atk.int(10, 50)}`);
  const uploadAt = clockTime(zone, night, '02:13:58');
  const probes = [
    '/?s=1%27%20and%20sleep(5)%23',
    '/?p=1%20union%20select%201,user(),3,4,5,6,7--',
    '/news/?id=1%27%20or%20%271%27=%271',
    '/wp-content/plugins/old-gallery/download.php?file=../../../../wp-config.php',
    '/wp-content/plugins/old-gallery/download.php?file=..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/wp-content/plugins/old-gallery/readme.txt',
    '/wp-content/plugins/old-gallery/upload.php',
  ];
  b.at(probeStart, () => {
    let t = probeStart;
    for (const p of probes) {
      const status = p.includes('readme') ? 200 : p.startsWith('/wp-content/plugins/old-gallery/upload') ? 200 : p.includes('download.php') ? 500 : 200;
      nginx.request(t, { ip, method: 'GET', path: p, status, bytes: status === 500 ? 0 : atk.int(400, 30_000), userAgent: ua }, 'vulnerable-plugin');
      t += atk.int(20, 140) * SECOND;
    }
    nginx.request(uploadAt, { ip, method: 'POST', path: '/wp-content/plugins/old-gallery/upload.php', status: 200, bytes: 74, userAgent: ua }, 'vulnerable-plugin');
  });
  steps.push({
    key: 'vulnerable-plugin',
    title: { 'zh-CN': '探测后利用相册插件上传 WebShell', en: 'Probes, then a web shell uploaded through the gallery plugin' },
    description: {
      'zh-CN': `${ip} 先做 SQL 注入和目录穿越探测，${zone.plain(uploadAt).slice(11)} 向过期插件的 upload.php 上传了 PHP 文件（返回 200）。`,
      en: `${ip} probed for SQL injection and path traversal, then at ${zone.plain(uploadAt).slice(11)} uploaded a PHP file through the outdated plugin's upload.php (200).`,
    },
    time: probeStart,
    endTime: uploadAt,
    srcIp: ip,
    host: HOST,
    ruleNames: ['web_sqli_attempt', 'web_path_traversal'],
    match: { type: ['http.request'], srcIp: ip },
    toleranceMs: 2 * MINUTE,
  });

  const shellStart = clockTime(zone, night, '02:14:05');
  const settingsAt = clockTime(zone, night, `02:31:${atk.int(5, 40)}`);
  b.at(shellStart, () => {
    let t = shellStart;
    for (let i = 0; i < 214; i++) {
      nginx.request(t, { ip, method: 'POST', path: SHELL, status: 200, bytes: atk.int(20, 9000), userAgent: ua }, 'hidden-links-in-db');
      if (i === 120) wpQueries(t, [`UPDATE wp_users SET user_pass = '$P$B${atk.alnum(30)}' WHERE user_login = 'admin'`], 'hidden-links-in-db');
      t += atk.int(2, 4) * SECOND; // 214 calls end before 02:29, ahead of the admin login
    }
    const login = settingsAt - atk.int(40, 80) * SECOND;
    nginx.request(login, { ip, method: 'POST', path: '/wp-login.php', status: 302, bytes: 0, referrer: 'https://www.example-led.cn/wp-login.php', userAgent: ua }, 'hidden-links-in-db');
    wpQueries(login, ["SELECT * FROM wp_users WHERE user_login = 'admin' LIMIT 1"], 'hidden-links-in-db');
    nginx.request(settingsAt, { ip, method: 'POST', path: '/wp-admin/admin-ajax.php', status: 200, bytes: 38, referrer: 'https://www.example-led.cn/wp-admin/options-general.php', userAgent: ua }, 'hidden-links-in-db');
    const links = Array.from({ length: 38 }, (_, i) => `<a href="https://${atk.alnum(6).toLowerCase()}${i}.bet">${['在线娱乐', '体育投注', '真人棋牌'][i % 3]}</a>`).join('');
    wpQueries(settingsAt, [`UPDATE wp_options SET option_value = '<div style="display:none">${links}</div>' WHERE option_name = 'footer_html'`], 'hidden-links-in-db');
  });
  steps.push({
    key: 'hidden-links-in-db',
    title: { 'zh-CN': '登录后台改站点设置，暗链写入数据库', en: 'Signed into the admin, hidden links written into the database' },
    description: {
      'zh-CN': `WebShell 被调用 200 余次并改掉了 admin 的口令；${zone.plain(settingsAt).slice(11, 16)} 同一地址登录后台，通过 admin-ajax.php 把 38 条隐藏赌博链接写进 wp_options 的 footer_html。`,
      en: `The shell was called some 200 times and reset the admin password; at ${zone.plain(settingsAt).slice(11, 16)} the same address signed in and saved 38 hidden gambling links into footer_html in wp_options through admin-ajax.php.`,
    },
    time: shellStart,
    endTime: settingsAt,
    srcIp: ip,
    host: HOST,
    ruleNames: [],
    match: { srcIp: ip },
    toleranceMs: 2 * MINUTE,
  });

  const secondAt = clockTime(zone, zone.dayStart(start, -2), `0${atk.int(1, 4)}:${atk.int(10, 59)}:${atk.int(10, 59)}`);
  const ip2 = publicIp(atk);
  b.at(secondAt, () => {
    nginx.request(secondAt, { ip: ip2, method: 'GET', path: SECOND_SHELL, status: 200, bytes: atk.int(300, 2000), userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:75.0) Gecko/20100101 Firefox/75.0' }, 'two-webshells');
    nginx.request(secondAt + atk.int(5, 30) * SECOND, { ip: ip2, method: 'POST', path: SECOND_SHELL, status: 200, bytes: atk.int(30, 4000), userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:75.0) Gecko/20100101 Firefox/75.0' }, 'two-webshells');
  });
  steps.push({
    key: 'two-webshells',
    title: { 'zh-CN': '第二个 WebShell（伪装成样式缓存）', en: 'A second web shell disguised as a style cache' },
    description: {
      'zh-CN': `两天前另一地址 ${ip2} 访问 ${SECOND_SHELL} 返回 200：只删一个 WebShell 仍留有后门。`,
      en: `Two days ago another address, ${ip2}, requested ${SECOND_SHELL} and got 200: deleting only one shell leaves a back door.`,
    },
    time: secondAt,
    srcIp: ip2,
    host: HOST,
    ruleNames: [],
    match: { type: ['http.request'], srcIp: ip2 },
  });

  return { steps, placeholders: { admin_accounts: ['admin', 'root'], finance_accounts: [], app_db_accounts: ['wp_user'] } };
}

export const websiteDefacement: ScenarioGenerator = {
  key: 'website-defacement',
  baselineDays: 6,
  evidenceTakenAfterMs: 45 * MINUTE,
  generate,
};
