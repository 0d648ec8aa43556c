/**
 * WeChat Pay merchant bills as downloaded (GBK, CRLF, every value prefixed with a backtick so spreadsheets keep
 * the long numbers as text, two summary rows at the end):
 * - 交易账单 (trade bill, type ALL): customer payments and refunds;
 * - 资金账单 (fund-flow bill, basic account): every movement of the balance, including 企业付款 (payouts to a
 *   WeChat balance), which the trade bill does not contain, with who submitted each change.
 */
import type { BundleBuilder, Entry, LogFile } from '../bundle.js';
import type { Zone } from '../clock.js';
import type { Random } from '../random.js';
import type { Localized } from '../types.js';

export const TRADE_BILL_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
export const TRADE_BILL_SUMMARY_HEADER = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
export const FUND_BILL_HEADER = '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号';
export const FUND_BILL_SUMMARY_HEADER = '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额';

const BANKS: ReadonlyArray<readonly [string, number]> = [
  ['OTHERS', 30],
  ['CFT', 25],
  ['CMB_DEBIT', 8],
  ['ICBC_DEBIT', 8],
  ['CCB_DEBIT', 7],
  ['ABC_DEBIT', 5],
  ['BOC_DEBIT', 4],
  ['CMB_CREDIT', 5],
  ['CCB_CREDIT', 3],
  ['SPDB_CREDIT', 2],
  ['COMM_DEBIT', 3],
];

const row = (values: string[]) => values.map((v) => `\`${v}`).join(',');
const yuan = (fen: number) => (fen / 100).toFixed(2);
const feeText = (fen: number) => (fen / 100).toFixed(5);

export interface Merchant {
  appId: string;
  mchId: string;
  /** Fee rate in per cent (0.6). */
  feeRatePercent: number;
}

interface FundRow {
  t: number;
  businessNo: string;
  flowNo: string;
  name: string;
  type: string;
  direction: '收入' | '支出';
  fen: number;
  submitter: string;
  note: string;
  voucher: string;
  step?: string;
}

/** A merchant account: records payments, refunds and payouts, then writes both bills (balances need every row). */
export class WechatPayMerchant {
  readonly tradeBill: LogFile;
  readonly fundBill: LogFile;
  private readonly funds: FundRow[] = [];
  private flowSeq: number;

  constructor(
    private readonly b: BundleBuilder,
    private readonly zone: Zone,
    private readonly rng: Random,
    readonly merchant: Merchant,
    o: { host: string; closingBalanceFen: number; tradeDescription: Localized; fundDescription: Localized },
  ) {
    this.flowSeq = rng.int(1_000_000, 9_000_000);
    this.tradeBill = b.file({
      name: 'wechatpay-bill.csv',
      parser: 'wechatpay',
      host: o.host,
      description: o.tradeDescription,
      encoding: 'gbk',
      eol: '\r\n',
      preamble: [TRADE_BILL_HEADER],
      postamble: tradeSummary,
    });
    this.fundBill = b.file({
      name: 'wechatpay-fundflow.csv',
      parser: 'wechatpay',
      host: o.host,
      description: o.fundDescription,
      encoding: 'gbk',
      eol: '\r\n',
      preamble: [FUND_BILL_HEADER],
      postamble: fundSummary,
    });
    b.finally(() => this.writeFunds(o.closingBalanceFen));
  }

  private fee(fen: number): number {
    return Math.round((fen * this.merchant.feeRatePercent) / 100);
  }

  /** A 28-digit WeChat order number: 42000 + 5 digits + date + 10 digits. */
  transactionId(t: number): string {
    return `420000${this.rng.digits(4)}${this.zone.compactDate(t)}${this.rng.digits(10)}`;
  }

  private flowNo(t: number): string {
    return `19000${this.rng.digits(5)}${this.zone.compactDate(t)}${String(++this.flowSeq).padStart(10, '0')}`;
  }

  /** A customer's successful JSAPI payment; returns the WeChat order number. */
  payment(t: number, p: { orderNo: string; openid: string; fen: number; product: string; attach?: string }, step?: string): string {
    const tx = this.transactionId(t);
    const fee = this.fee(p.fen);
    const m = this.merchant;
    const text = row([
      this.zone.plain(t), m.appId, m.mchId, '0', '', tx, p.orderNo, p.openid, 'JSAPI', 'SUCCESS', this.rng.weighted(BANKS), 'CNY',
      yuan(p.fen), '0.00', '0', '0', '0.00', '0.00', '', '', p.product, p.attach ?? '', feeText(fee), `${m.feeRatePercent.toFixed(2)}%`,
      yuan(p.fen), '0.00', '',
    ]);
    this.tradeBill.add(t, text, step, { settle: p.fen, refund: 0, fee, order: p.fen, refundApplied: 0 });
    this.funds.push({ t, businessNo: tx, flowNo: this.flowNo(t), name: '交易', type: '交易', direction: '收入', fen: p.fen, submitter: 'system', note: '', voucher: p.orderNo, step });
    if (fee > 0) this.funds.push({ t, businessNo: tx, flowNo: this.flowNo(t), name: '交易', type: '扣除交易手续费', direction: '支出', fen: fee, submitter: 'system', note: '', voucher: p.orderNo, step });
    return tx;
  }

  /** A refund of (part of) a payment, submitted through the API (`<mchid>API`) or by a merchant-platform operator. */
  refund(
    t: number,
    r: { transactionId: string; orderNo: string; openid: string; fen: number; product: string; submitter: string; refundNo: string },
    step?: string,
  ): void {
    const wxRefundNo = `50000${this.rng.digits(5)}${this.zone.compactDate(t)}${this.rng.digits(11)}`;
    const fee = -this.fee(r.fen);
    const m = this.merchant;
    const text = row([
      this.zone.plain(t), m.appId, m.mchId, '0', '', r.transactionId, r.orderNo, r.openid, 'JSAPI', 'REFUND', 'OTHERS', 'CNY',
      '0.00', '0.00', wxRefundNo, r.refundNo, yuan(r.fen), '0.00', 'ORIGINAL', 'SUCCESS', r.product, '', feeText(fee), `${m.feeRatePercent.toFixed(2)}%`,
      '0.00', yuan(r.fen), '',
    ]);
    this.tradeBill.add(t, text, step, { settle: 0, refund: r.fen, fee, order: 0, refundApplied: r.fen });
    const back = -fee;
    this.funds.push({
      t, businessNo: wxRefundNo, flowNo: this.flowNo(t), name: '退款', type: '退款', direction: '支出', fen: r.fen - back, submitter: r.submitter,
      note: `退款总金额${yuan(r.fen)}元;含手续费${yuan(back)}元`, voucher: r.refundNo, step,
    });
  }

  /** 企业付款到零钱: a payout from the merchant balance to a WeChat user; returns the payment number. */
  payout(t: number, p: { partnerTradeNo: string; openid: string; fen: number; desc: string; submitter: string }, step?: string): string {
    const paymentNo = `10100${this.rng.digits(5)}${this.zone.compactDate(t)}${this.rng.digits(10)}`;
    this.funds.push({
      t, businessNo: paymentNo, flowNo: this.flowNo(t), name: '企业付款', type: '企业付款', direction: '支出', fen: p.fen, submitter: p.submitter,
      note: p.desc, voucher: p.partnerTradeNo, step,
    });
    return paymentNo;
  }

  /** Writes the fund-flow rows with running balances ending at the closing balance (at the coverage's end). */
  private writeFunds(closingFen: number): void {
    const rows = this.funds.filter((f) => this.b.inCoverage(f.t)).sort((a, b) => a.t - b.t);
    const net = rows.reduce((s, f) => s + (f.direction === '收入' ? f.fen : -f.fen), 0);
    let balance = closingFen - net;
    for (const f of rows) {
      balance += f.direction === '收入' ? f.fen : -f.fen;
      const text = row([this.zone.plain(f.t), f.businessNo, f.flowNo, f.name, f.type, f.direction, yuan(f.fen), yuan(balance), f.submitter, f.note, f.voucher]);
      this.fundBill.add(f.t, text, f.step, { income: f.direction === '收入' ? f.fen : 0, expense: f.direction === '支出' ? f.fen : 0 });
    }
  }
}

function sum(entries: Entry[], key: string): number {
  return entries.reduce((s, e) => s + (e.data?.[key] ?? 0), 0);
}

function tradeSummary(entries: Entry[]): string[] {
  return [
    TRADE_BILL_SUMMARY_HEADER,
    row([String(entries.length), yuan(sum(entries, 'settle')), yuan(sum(entries, 'refund')), '0.00', feeText(sum(entries, 'fee')), yuan(sum(entries, 'order')), yuan(sum(entries, 'refundApplied'))]),
  ];
}

function fundSummary(entries: Entry[]): string[] {
  const incomes = entries.filter((e) => (e.data?.income ?? 0) > 0);
  const expenses = entries.filter((e) => (e.data?.expense ?? 0) > 0);
  return [FUND_BILL_SUMMARY_HEADER, row([String(entries.length), String(incomes.length), yuan(sum(entries, 'income')), String(expenses.length), yuan(sum(entries, 'expense'))])];
}
