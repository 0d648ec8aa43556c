/**
 * WeChat Pay merchant bills (pay.weixin.qq.com, the downloadbill and downloadfundflow APIs): a header row of Chinese
 * column names, data rows whose every field starts with a backtick (`), then a summary header (总交易单数,… or
 * 资金流水总笔数,…) and one summary row, both skipped. Two kinds:
 * - 交易账单 (trade bill): customers' payments and refunds → payment / refund events;
 * - 资金账单 (fund-flow bill): every movement of the merchant balance, with who submitted it (企业付款 payouts,
 *   refunds, fees) → payment events whose user is the submitter.
 * Columns are found by name (the ALL, SUCCESS and REFUND bills and older versions differ). Amounts are in yuan;
 * times are wall-clock in the evidence's zone.
 */
import type { FieldValue } from '../event.js';
import { CsvFramer } from './csv-framing.js';
import { parseRecord } from './csv.js';
import { toAmount } from './record-map.js';
import { parseLooseTime } from './time.js';
import { makeEvent, type FormatParser, type ParserContext } from './types.js';

/** Field key → the column names it has had in bills. */
const COLUMNS: Record<string, string[]> = {
  time: ['交易时间'],
  app_id: ['公众账号ID', '公众账号id', '应用ID'],
  merchant_id: ['商户号'],
  sub_merchant_id: ['特约商户号', '子商户号'],
  device: ['设备号'],
  transaction_id: ['微信订单号'],
  order_id: ['商户订单号'],
  payer: ['用户标识'],
  trade_type: ['交易类型'],
  trade_state: ['交易状态'],
  bank: ['付款银行'],
  currency: ['货币种类'],
  settlement_amount: ['应结订单金额', '总金额'],
  coupon_amount: ['代金券金额', '代金券或立减优惠金额'],
  refund_id: ['微信退款单号'],
  refund_order_id: ['商户退款单号'],
  refund_amount: ['退款金额'],
  coupon_refund_amount: ['充值券退款金额', '代金券或立减优惠退款金额'],
  refund_type: ['退款类型'],
  refund_state: ['退款状态'],
  product: ['商品名称'],
  attach: ['商户数据包'],
  fee: ['手续费'],
  rate: ['费率'],
  order_amount: ['订单金额'],
  refund_request_amount: ['申请退款金额'],
  rate_note: ['费率备注'],
  refund_request_time: ['退款申请时间'],
  refund_success_time: ['退款成功时间'],
};
/** The fund-flow bill's columns. */
const FUND_COLUMNS: Record<string, string[]> = {
  time: ['记账时间'],
  transaction_id: ['微信支付业务单号'],
  flow_id: ['资金流水单号'],
  business_name: ['业务名称'],
  business_type: ['业务类型'],
  direction: ['收支类型'],
  amount: ['收支金额（元）', '收支金额(元)', '收支金额'],
  balance: ['账户结余（元）', '账户结余(元)', '账户结余'],
  submitter: ['资金变更提交申请人'],
  note: ['备注'],
  voucher: ['业务凭证号'],
};
/** 业务类型 → the event's action. */
const FUND_ACTIONS: Record<string, string> = { 企业付款: 'payout', 退款: 'refund', 交易: 'pay', 扣除交易手续费: 'fee', 提现: 'withdraw', 充值: 'deposit' };
const NUMERIC = new Set(['amount', 'balance', 'settlement_amount', 'coupon_amount', 'refund_amount', 'coupon_refund_amount', 'fee', 'order_amount', 'refund_request_amount']);

/** True for the bill's header line (also used by detection). */
export function isWechatHeader(line: string): boolean {
  return isTradeHeader(line) || isFundHeader(line);
}

function isTradeHeader(line: string): boolean {
  return line.includes('交易时间') && (line.includes('微信订单号') || line.includes('商户订单号')) && line.includes(',');
}

function isFundHeader(line: string): boolean {
  return line.includes('记账时间') && (line.includes('资金流水单号') || line.includes('微信支付业务单号')) && line.includes(',');
}

function isSummaryHeader(line: string): boolean {
  return /^\uFEFF?\s*`?(总交易单数|总订单笔数|资金流水总笔数)/.test(line);
}

export class WechatPayParser implements FormatParser {
  private readonly framer: CsvFramer;
  private columns: Map<string, number> | null = null;
  /** Which bill the header announced. */
  private kind: 'trade' | 'fund' = 'trade';
  /** After the summary header: its row is skipped too. */
  private inSummary = false;
  /** Records before the header (line number, line count; the first 20): skipped once a header comes, unparsed if none does. */
  private preamble: Array<[number, number]> = [];
  private preambleLines = 0;

  constructor(private readonly ctx: ParserContext) {
    this.framer = new CsvFramer(ctx, (text, lineNo, offset, length, lineCount) => this.record(text, lineNo, offset, length, lineCount));
  }

  line(text: string, start: number, end: number, lineNo: number, offset: number, length: number): void {
    this.framer.line(text, start, end, lineNo, offset, length);
  }

  broken(lineNo: number): void {
    this.framer.broken(lineNo);
  }

  finish(): void {
    this.framer.finish();
    if (this.columns === null && this.preambleLines > 0) this.flushPreamble(false);
  }

  private flushPreamble(skipped: boolean): void {
    if (skipped) this.ctx.sink.skip(this.preambleLines);
    else {
      let counted = 0;
      for (const [lineNo, count] of this.preamble) {
        this.ctx.sink.unparsed(lineNo, count);
        counted += count;
      }
      // Past the first 20 records only the count was kept (the report lists 20 line numbers anyway).
      if (this.preambleLines > counted) this.ctx.sink.unparsed(this.preamble[this.preamble.length - 1][0], this.preambleLines - counted);
    }
    this.preamble = [];
    this.preambleLines = 0;
  }

  private record(text: string, lineNo: number, offset: number, length: number, lineCount: number): void {
    if (this.columns === null) {
      if (isWechatHeader(text)) {
        const header = parseRecord(text, ',');
        if (header !== null) {
          this.columns = new Map();
          this.kind = isFundHeader(text) ? 'fund' : 'trade';
          const known = this.kind === 'fund' ? FUND_COLUMNS : COLUMNS;
          header.forEach((name, i) => {
            const clean = name.replace(/^\uFEFF/, '').replace(/^`/, '').trim();
            for (const [key, names] of Object.entries(known)) if (names.includes(clean) && !this.columns!.has(key)) this.columns!.set(key, i);
          });
          this.flushPreamble(true);
          this.ctx.sink.skip(lineCount);
          return;
        }
      }
      if (this.preamble.length < 20) this.preamble.push([lineNo, lineCount]);
      this.preambleLines += lineCount;
      return;
    }
    if (this.inSummary) {
      this.inSummary = false;
      this.ctx.sink.skip(lineCount);
      return;
    }
    if (isSummaryHeader(text)) {
      this.inSummary = true;
      this.ctx.sink.skip(lineCount);
      return;
    }
    const cells = parseRecord(text, ',');
    const columns = this.columns;
    if (cells === null || cells.length < 2) {
      this.ctx.sink.unparsed(lineNo, lineCount);
      return;
    }
    const values: Record<string, string> = {};
    for (const [key, i] of columns) {
      const raw = i < cells.length ? cells[i].trim().replace(/^`/, '').trim() : '';
      if (raw !== '') values[key] = raw;
    }
    const time = values.time !== undefined ? parseLooseTime(values.time, this.ctx.clock) : null;
    if (time === null) {
      this.ctx.sink.unparsed(lineNo, lineCount);
      return;
    }
    const fields: Record<string, FieldValue> = {};
    for (const [key, value] of Object.entries(values)) {
      if (key === 'time') continue;
      if (NUMERIC.has(key)) {
        const n = toAmount(value);
        fields[key] = n ?? value;
      } else fields[key] = value;
    }
    if (this.kind === 'fund') {
      this.fundEvent(time, values, fields, text, lineNo, offset, length);
      return;
    }
    const refundAmount = typeof fields.refund_amount === 'number' ? fields.refund_amount : typeof fields.refund_request_amount === 'number' ? fields.refund_request_amount : 0;
    const isRefund = refundAmount > 0 || values.trade_state === 'REFUND';
    const orderAmount = typeof fields.order_amount === 'number' ? fields.order_amount : typeof fields.settlement_amount === 'number' ? fields.settlement_amount : null;
    if (isRefund) {
      if (refundAmount > 0) {
        fields.amount = refundAmount;
        fields.refund_amount = refundAmount;
      }
      if (orderAmount !== null) fields.order_amount = orderAmount;
    } else if (orderAmount !== null) {
      fields.amount = orderAmount;
    }
    const message = [values.trade_state, values.trade_type, values.product, fields.amount !== undefined ? `${fields.amount}${values.currency ? ` ${values.currency}` : ''}` : null, values.order_id]
      .filter((x) => x)
      .join(' ');
    this.ctx.sink.emit(
      makeEvent(
        time,
        null,
        'wechatpay',
        isRefund ? 'refund' : 'payment',
        values.payer ?? null,
        null,
        (values.sub_merchant_id && values.sub_merchant_id !== '0' ? values.sub_merchant_id : values.merchant_id) ?? null,
        isRefund ? 'refund' : 'pay',
        isRefund ? (values.refund_state && !/SUCCESS/i.test(values.refund_state) ? null : 'success') : values.trade_state === 'SUCCESS' ? 'success' : values.trade_state ? (/CLOSED|PAYERROR|REVOKED/.test(values.trade_state) ? 'failure' : null) : null,
        message || text,
        fields,
        lineNo,
        offset,
        length,
      ),
    );
  }

  /** A row of the fund-flow bill: who moved how much of the balance, and why. */
  private fundEvent(time: number, values: Record<string, string>, fields: Record<string, FieldValue>, text: string, lineNo: number, offset: number, length: number): void {
    const expense = values.direction === '支出';
    if (values.direction !== undefined) fields.direction = expense ? 'expense' : values.direction === '收入' ? 'income' : values.direction;
    const type = values.business_type ?? values.business_name ?? '';
    const message = [values.business_name, values.business_type, values.direction, values.amount, values.note].filter((x) => x).join(' ');
    this.ctx.sink.emit(
      makeEvent(
        time,
        null,
        'wechatpay',
        type === '退款' ? 'refund' : 'payment',
        values.submitter ?? null,
        null,
        values.voucher ?? values.transaction_id ?? null,
        FUND_ACTIONS[type] ?? (type || (expense ? 'expense' : 'income')),
        'success',
        message || text,
        fields,
        lineNo,
        offset,
        length,
      ),
    );
  }
}
