/**
 * The WeChat Pay merchant transaction bill (微信支付交易账单, pay.weixin.qq.com and the downloadbill API): a header
 * row of Chinese column names, data rows whose every field starts with a backtick (`), then a summary header
 * (总交易单数,…) and one summary row, both skipped. Columns are found by name (the ALL, SUCCESS and REFUND bills and
 * older versions differ). Amounts are in yuan; times are wall-clock in the evidence's zone.
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
const NUMERIC = new Set(['settlement_amount', 'coupon_amount', 'refund_amount', 'coupon_refund_amount', 'fee', 'order_amount', 'refund_request_amount']);

/** True for the bill's header line (also used by detection). */
export function isWechatHeader(line: string): boolean {
  return line.includes('交易时间') && (line.includes('微信订单号') || line.includes('商户订单号')) && line.includes(',');
}

function isSummaryHeader(line: string): boolean {
  return /^\uFEFF?\s*`?总交易单数/.test(line) || /^\uFEFF?\s*`?总订单笔数/.test(line);
}

export class WechatPayParser implements FormatParser {
  private readonly framer: CsvFramer;
  private columns: Map<string, number> | null = null;
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
          header.forEach((name, i) => {
            const clean = name.replace(/^\uFEFF/, '').replace(/^`/, '').trim();
            for (const [key, names] of Object.entries(COLUMNS)) if (names.includes(clean) && !this.columns!.has(key)) this.columns!.set(key, i);
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
}
