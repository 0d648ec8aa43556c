/**
 * Chinese titles of the bundled rules. The YAML files stay plain Sigma (English titles, as SigmaHQ writes them, so
 * they can be shared); Firedrill shows these where the user reads Chinese. Keyed by the rule's id: a user's rule
 * never picks one up by reusing a name.
 */
import { bundledRules } from '../sigma/index.js';

const byName: Record<string, string> = {
  admin_login_off_hours: '管理员在非工作时间登录',
  db_balance_tampering: '直接在数据库中修改余额或金额',
  db_mass_export: '数据库数据被批量导出',
  db_export_statement: '数据库导出语句或导出客户端',
  db_whole_table_select_burst: '同一账号 5 分钟内 20 次以上整表查询',
  db_whole_table_select: '整表 SELECT 查询',
  new_local_account: '新建本地账号',
  payment_by_non_finance: '财务以外的人员发起付款、提现或退款',
  ssh_bruteforce_then_success: 'SSH 暴力破解后登录成功',
  ssh_bruteforce_failures_burst: '同一地址 10 分钟内 5 次以上 SSH 登录失败',
  ssh_bruteforce_login_failure: 'SSH 登录失败',
  ssh_bruteforce_login_success: 'SSH 登录成功',
  ssh_new_source_ip_admin: '管理员账号从新的来源地址 SSH 登录',
  ssh_admin_login_success: '管理员账号 SSH 登录成功',
  ssh_root_password_login: 'root 使用密码 SSH 登录',
  sudo_to_root_shell: '通过 sudo 获得 root shell',
  web_path_traversal: 'Web 请求中的路径穿越尝试',
  web_sqli_attempt: 'Web 请求中的 SQL 注入尝试',
};

let byId: Map<string, string> | undefined;

function bundledTitlesZh(): Map<string, string> {
  byId ??= new Map(bundledRules().flatMap((r) => (r.name && byName[r.name] ? [[r.id, byName[r.name]] as const] : [])));
  return byId;
}

/** The rule's title in the language asked for: the Chinese one for a bundled rule, else the rule's own. */
export function localRuleTitle(rule: { ruleId?: string; id?: string; title: string }, lang: 'zh-CN' | 'en'): string {
  if (lang !== 'zh-CN') return rule.title;
  return bundledTitlesZh().get(rule.ruleId ?? rule.id ?? '') ?? rule.title;
}
