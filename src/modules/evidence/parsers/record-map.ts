/**
 * Generic records (a JSON object, a CSV row) → events: the usual key names for time, user, address, host, action,
 * outcome, type and message (English, ECS dotted names, and Chinese column headers); payments and refunds recognised
 * by their action or type; everything else kept in `fields`.
 */
import { EVENT_TYPES, type EventType, type FieldValue, type LocatedEvent, type Outcome } from '../event.js';
import { asIp } from './ip.js';
import { parseLooseTime, type ZonedClock } from './time.js';
import { makeEvent } from './types.js';

export type CanonicalKey = 'time' | 'host' | 'user' | 'srcIp' | 'target' | 'action' | 'outcome' | 'type' | 'message';

/** Key names recognised for each canonical key, compared case-insensitively, in order of preference. */
export const KEY_SYNONYMS: Record<CanonicalKey, string[]> = {
  time: ['@timestamp', 'timestamp', 'time', 'ts', 'datetime', 'date', 'event_time', 'eventtime', 'event.created', 'created_at', 'createdat', 'logtime', 'log_time', '时间', '登录时间', '操作时间', '发生时间', '记录时间', '日期时间', '日期'],
  user: ['user', 'username', 'user_name', 'user.name', 'account', 'account_name', 'operator', 'login', 'userid', 'user_id', '用户', '用户名', '账号', '帐号', '登录账号', '操作人', '操作员', '操作用户'],
  srcIp: ['ip', 'src_ip', 'srcip', 'source_ip', 'sourceip', 'source.ip', 'client_ip', 'clientip', 'client.ip', 'remote_addr', 'remoteaddr', 'remote_ip', 'remoteip', 'ip_address', 'ipaddress', 'ip地址', '来源ip', '源ip', '登录ip', '客户端ip', '访问ip'],
  host: ['host', 'hostname', 'host.name', 'host.hostname', 'server', 'computer', '主机', '主机名', '服务器'],
  action: ['action', 'event.action', 'event', 'operation', 'op', 'activity', '操作', '动作', '行为', '事件', '操作类型'],
  outcome: ['outcome', 'event.outcome', 'result', 'status', '结果', '状态', '操作结果', '登录结果'],
  type: ['type', 'event.type', 'event_type', 'eventtype', 'category', 'event.category', '类型', '事件类型'],
  message: ['message', 'msg', 'description', 'detail', 'details', 'text', '内容', '描述', '消息', '详情', '备注'],
  target: ['target', 'resource', 'object', 'url', 'path', 'url.path', 'uri', '目标', '对象', '资源'],
};

const AMOUNT_KEYS = ['amount', 'amt', 'money', 'total', 'total_amount', 'totalamount', 'pay_amount', 'price', 'sum', '金额', '交易金额', '付款金额', '支付金额', '提现金额', '转账金额', '退款金额', '金额(元)', '金额（元）'];
const CURRENCY_KEYS = ['currency', 'cur', '币种', '货币种类', '货币'];
const ORDER_KEYS = ['order_id', 'orderid', 'order_no', 'orderno', 'out_trade_no', '订单号', '商户订单号', '商户单号'];
const TRANSACTION_KEYS = ['transaction_id', 'transactionid', 'trade_no', 'tradeno', '交易单号', '微信订单号', '流水号'];

const PAYMENT_WORD = /(?:^|[^a-z])(?:pay|withdraw|transfer|refund)|(?:Pay|Withdraw|Transfer|Refund)|付款|支付|提现|转账|退款/;
const REFUND_WORD = /refund|退款/i;
const LOGIN_WORD = /(?:^|[^a-z])(?:log_?in|logon|sign_?in|auth)|(?:Login|Logon|SignIn|Auth)|登录|登陆|认证/;
const LOGOUT_WORD = /(?:^|[^a-z])(?:log_?out|logoff|sign_?out)|(?:Logout|Logoff|SignOut)|登出|注销|退出登录/;

/** Normalises a result word or number to success / failure, or null. */
export function toOutcome(value: FieldValue | undefined): Outcome | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'success' : 'failure';
  if (typeof value === 'number') return value >= 400 ? 'failure' : value >= 100 ? 'success' : value === 0 ? 'success' : null;
  const v = value.trim().toLowerCase();
  if (/^(success|succeeded|successful|succeed|ok|true|pass|passed|allow|allowed|accept|accepted|permit|done|completed?|成功|通过|允许|正常|已完成|完成)$/.test(v)) return 'success';
  if (/^(fail|failed|failure|error|err|denied|deny|false|block|blocked|reject|rejected|refused|invalid|失败|拒绝|错误|异常|禁止|阻断)$/.test(v)) return 'failure';
  if (/^\d{3}$/.test(v)) return Number(v) >= 400 ? 'failure' : 'success';
  return null;
}

/** A number from "1,234.50", "¥12.00", "12元"; null when it is not one. */
export function toAmount(value: FieldValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const v = value.replace(/[¥￥,，\s`]|元|RMB|CNY/gi, '');
  if (!/^[+-]?\d+(\.\d+)?$/.test(v)) return null;
  return Number(v);
}

/** Which record keys give the canonical values: an explicit mapping, else the synonyms found among `keys`. */
export function resolveKeys(keys: readonly string[], explicit?: Record<string, string>): Partial<Record<CanonicalKey, string>> {
  const out: Partial<Record<CanonicalKey, string>> = {};
  const lower = new Map<string, string>();
  for (const k of keys) if (!lower.has(k.trim().toLowerCase())) lower.set(k.trim().toLowerCase(), k);
  const used = new Set<string>();
  if (explicit) {
    for (const [canonical, column] of Object.entries(explicit)) {
      out[canonical as CanonicalKey] = column;
      used.add(column);
    }
    return out;
  }
  for (const canonical of Object.keys(KEY_SYNONYMS) as CanonicalKey[]) {
    for (const name of KEY_SYNONYMS[canonical]) {
      const key = lower.get(name);
      if (key !== undefined && !used.has(key)) {
        out[canonical] = key;
        used.add(key);
        break;
      }
    }
  }
  return out;
}

function findKey(record: Record<string, FieldValue>, names: readonly string[]): string | null {
  for (const k of Object.keys(record)) if (names.includes(k.trim().toLowerCase())) return k;
  return null;
}

function str(v: FieldValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s.length > 0 ? s : null;
}

/**
 * Builds the event for one record. `keys` says which record keys hold the canonical values (resolveKeys);
 * `rawMessage` is the message when the record has none (its line).
 */
export function recordToEvent(
  record: Record<string, FieldValue>,
  keys: Partial<Record<CanonicalKey, string>>,
  source: string,
  clock: ZonedClock,
  rawMessage: string,
  lineNo: number,
  offset: number,
  length: number,
): LocatedEvent {
  const fields: Record<string, FieldValue> = { ...record };
  const take = (k: CanonicalKey): FieldValue | undefined => {
    const key = keys[k];
    if (key === undefined || !(key in record)) return undefined;
    delete fields[key];
    return record[key];
  };
  const timeValue = take('time');
  let time: number | null = null;
  if (timeValue !== undefined && timeValue !== null) {
    time = parseLooseTime(timeValue, clock);
    if (time === null) fields[keys.time!] = timeValue;
  }
  const user = str(take('user'));
  const ipValue = str(take('srcIp'));
  const srcIp = asIp(ipValue);
  if (ipValue !== null && srcIp === null) fields[keys.srcIp!] = ipValue;
  const host = str(take('host'));
  const action = str(take('action'));
  const target = str(take('target'));
  const outcomeValue = take('outcome');
  const outcome = toOutcome(outcomeValue);
  if (outcomeValue !== undefined && outcome === null && outcomeValue !== null) fields[keys.outcome!] = outcomeValue;
  const typeValue = str(take('type'));
  const messageValue = str(take('message'));

  let type: EventType = 'log';
  if (typeValue !== null && (EVENT_TYPES as readonly string[]).includes(typeValue)) {
    type = typeValue as EventType;
  } else {
    if (typeValue !== null) fields[keys.type!] = typeValue;
    const words = `${action ?? ''} ${typeValue ?? ''}`;
    if (PAYMENT_WORD.test(words)) type = REFUND_WORD.test(words) ? 'refund' : 'payment';
    else if (LOGOUT_WORD.test(words)) type = 'session.close';
    else if (LOGIN_WORD.test(words) && outcome !== null) type = outcome === 'success' ? 'auth.success' : 'auth.failure';
  }
  if (type === 'payment' || type === 'refund') {
    const amountKey = findKey(record, AMOUNT_KEYS);
    const amount = amountKey ? toAmount(record[amountKey]) : null;
    if (amount !== null) {
      fields.amount = amount;
      if (amountKey !== 'amount') delete fields[amountKey!];
    }
    const currencyKey = findKey(record, CURRENCY_KEYS);
    if (currencyKey && str(record[currencyKey])) fields.currency = str(record[currencyKey]);
    const orderKey = findKey(record, ORDER_KEYS);
    if (orderKey && str(record[orderKey])) fields.order_id = str(record[orderKey]);
    const txKey = findKey(record, TRANSACTION_KEYS);
    if (txKey && str(record[txKey])) fields.transaction_id = str(record[txKey]);
  }
  return makeEvent(time, host, source, type, user, srcIp, target, action, outcome, messageValue ?? rawMessage, fields, lineNo, offset, length);
}
