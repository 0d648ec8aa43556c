/**
 * The seed company's online shop: a Java back office and mini-program API behind nginx on one cloud server, MySQL
 * on the same machine, WeChat Pay for customers' payments and agents' commission withdrawals. Each method is
 * one thing a person does, written consistently to every log it touches (nginx, MySQL, operation log, bills).
 */
import type { BundleBuilder } from './bundle.js';
import { MINUTE, type Zone } from './clock.js';
import type { Random } from './random.js';
import type { JsonLog } from './writers/jsonl.js';
import { Money } from './writers/jsonl.js';
import { JDBC_INIT, sqlString, type MysqlServer } from './writers/mysql.js';
import { USER_AGENTS, type NginxLog } from './writers/web.js';
import type { WechatPayMerchant } from './writers/wechatpay.js';

const SECOND = 1000;

export interface Customer {
  id: number;
  openid: string;
  agentId: number | null;
}

export interface Agent {
  id: number;
  account: string;
  openid: string;
}

export interface Staff {
  account: string;
  adminId: number;
  role: 'finance' | 'service' | 'admin';
}

export interface Client {
  ip: string;
  userAgent: string;
}

const PRODUCTS = [
  { id: 1012, name: '澳洲进口红酒 750ml', fen: 16800, category: 3 },
  { id: 1015, name: '新西兰麦卢卡蜂蜜 500g', fen: 29900, category: 5 },
  { id: 1021, name: '日本进口零食礼盒', fen: 8990, category: 2 },
  { id: 1033, name: '德国小麦啤酒 500ml*24', fen: 15900, category: 3 },
  { id: 1047, name: '法国保湿面霜 50ml', fen: 35900, category: 7 },
  { id: 1052, name: '韩国海苔 10包', fen: 2990, category: 2 },
  { id: 1068, name: '荷兰进口奶粉 900g', fen: 25800, category: 1 },
  { id: 1075, name: '意大利橄榄油 1L', fen: 12900, category: 4 },
  { id: 1081, name: '智利车厘子 2.5kg', fen: 19900, category: 6 },
  { id: 1094, name: '泰国乳胶枕', fen: 39900, category: 8 },
];

export class Shop {
  readonly appId: string;
  readonly domain = 'shop.example.cn';
  private readonly pool: number[] = [];
  private readonly orders: Array<{ orderNo: string; customer: Customer; fen: number; product: string; tx: string; t: number }> = [];
  private readonly openidPrefix: string;
  private withdrawSeq = 0;
  private orderSeq = 0;

  constructor(
    private readonly b: BundleBuilder,
    private readonly zone: Zone,
    private readonly rng: Random,
    readonly nginx: NginxLog,
    readonly db: MysqlServer,
    readonly oplog: JsonLog,
    readonly pay: WechatPayMerchant,
    o: { appId: string; openidPrefix: string; poolSize: number; firstPoolThread: number },
  ) {
    this.appId = o.appId;
    this.openidPrefix = o.openidPrefix;
    for (let i = 0; i < o.poolSize; i++) this.pool.push(o.firstPoolThread + i);
  }

  /** A mini-program user's openid: the app's fixed prefix and 22 more characters. */
  openid(rng: Random = this.rng): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
    let s = this.openidPrefix;
    while (s.length < 28) s += chars[rng.int(0, chars.length - 1)];
    return s;
  }

  get referrer(): string {
    return `https://servicewechat.com/${this.appId}/37/page-frame.html`;
  }

  private sqlTime(t: number): string {
    return this.zone.plain(t);
  }

  private conn(): number {
    return this.rng.pick(this.pool);
  }

  private sql(t: number, statements: string[], step?: string): number {
    const id = this.conn();
    let at = t;
    for (const s of statements) {
      at += this.rng.int(1, 6);
      this.db.query(at, id, s, step);
    }
    return at;
  }

  private orderNo(t: number): string {
    const l = this.zone.local(t);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    this.orderSeq = (this.orderSeq + this.rng.int(1, 9)) % 10000;
    return `${l.year}${p(l.month)}${p(l.day)}${p(l.hour)}${p(l.minute)}${p(l.second)}${p(this.orderSeq, 4)}`;
  }

  /** The application restarts (a deployment): the connection pool reconnects. */
  restart(t: number): void {
    let at = t;
    for (const id of this.pool) this.db.quit((at += this.rng.int(1, 5)), id);
    this.pool.length = 0;
    at += 14 * SECOND;
    for (let i = 0; i < 5; i++) {
      const id = this.db.connect((at += this.rng.int(20, 90)), 'shop_app', '127.0.0.1', 'shop', 'TCP/IP');
      for (const s of JDBC_INIT) this.db.query((at += this.rng.int(1, 3)), id, s);
      this.pool.push(id);
    }
  }

  // --- mini-program ------------------------------------------------------------------------------------------

  private api(t: number, c: Client, method: string, path: string, bytes: number, status = 200, step?: string): void {
    this.nginx.request(t, { ip: c.ip, method, path, status, bytes, referrer: this.referrer, userAgent: c.userAgent }, step);
  }

  /** A customer opens the mini-program, browses, and sometimes buys. */
  customerVisit(t: number, customer: Customer, c: Client, buyChance: number): void {
    let at = t;
    this.api(at, c, 'POST', '/api/v1/user/login', this.rng.int(280, 320));
    this.sql(at, [`SELECT id,openid,nickname,agent_id,status FROM member WHERE openid=${sqlString(customer.openid)} LIMIT 1`, `UPDATE member SET last_login_time=${sqlString(this.sqlTime(at))} WHERE id=${customer.id}`]);
    const views = this.rng.int(2, 9);
    let product = this.rng.pick(PRODUCTS);
    for (let i = 0; i < views; i++) {
      at += this.rng.int(3, 45) * SECOND;
      const kind = this.rng.weighted([
        ['list', 4],
        ['detail', 5],
        ['user', 1],
        ['cart', 1],
      ] as const);
      if (kind === 'list') {
        const page = this.rng.weighted([
          [1, 6],
          [2, 2],
          [3, 1],
        ] as const);
        const cate = this.rng.pick(PRODUCTS).category;
        this.api(at, c, 'GET', `/api/v1/goods/list?cate=${cate}&page=${page}&size=20`, this.rng.int(4200, 9800));
        this.sql(at, [
          `SELECT id,name,price,cover,sales FROM goods WHERE category_id=${cate} AND status=1 ORDER BY sort DESC,id DESC LIMIT ${(page - 1) * 20},20`,
          `SELECT COUNT(*) FROM goods WHERE category_id=${cate} AND status=1`,
        ]);
      } else if (kind === 'detail') {
        product = this.rng.pick(PRODUCTS);
        this.api(at, c, 'GET', `/api/v1/goods/detail?id=${product.id}`, this.rng.int(2600, 5200));
        this.sql(at, [`SELECT * FROM goods WHERE id=${product.id}`, `SELECT id,spec_name,price,stock FROM goods_sku WHERE goods_id=${product.id} AND status=1`]);
      } else if (kind === 'user') {
        this.api(at, c, 'GET', '/api/v1/user/info', this.rng.int(380, 460));
        this.sql(at, [`SELECT id,nickname,avatar,mobile,agent_id,points FROM member WHERE id=${customer.id}`]);
      } else {
        this.api(at, c, 'POST', '/api/v1/cart/add', 64);
        this.sql(at, [`INSERT INTO cart (member_id,goods_id,num,create_time) VALUES (${customer.id},${product.id},1,${sqlString(this.sqlTime(at))})`]);
      }
    }
    if (!this.rng.chance(buyChance)) return;
    at += this.rng.int(10, 60) * SECOND;
    const qty = this.rng.weighted([
      [1, 8],
      [2, 2],
      [3, 1],
    ] as const);
    const fen = product.fen * qty;
    const orderNo = this.orderNo(at);
    this.api(at, c, 'POST', '/api/v1/order/create', this.rng.int(150, 190));
    this.sql(at, [
      `INSERT INTO orders (order_no,member_id,total_amount,status,create_time) VALUES (${sqlString(orderNo)},${customer.id},${(fen / 100).toFixed(2)},0,${sqlString(this.sqlTime(at))})`,
      `INSERT INTO order_item (order_no,goods_id,goods_name,price,num) VALUES (${sqlString(orderNo)},${product.id},${sqlString(product.name)},${(product.fen / 100).toFixed(2)},${qty})`,
      `UPDATE goods_sku SET stock=stock-${qty} WHERE goods_id=${product.id} AND stock>=${qty}`,
    ]);
    at += this.rng.int(1, 4) * SECOND;
    this.api(at, c, 'POST', '/api/v1/pay/unifiedorder', this.rng.int(420, 470));
    this.sql(at, [`SELECT order_no,total_amount,status FROM orders WHERE order_no=${sqlString(orderNo)} AND member_id=${customer.id}`]);
    if (this.rng.chance(0.12)) return; // closed the payment sheet
    at += this.rng.int(6, 40) * SECOND;
    const tx = this.pay.payment(at - SECOND, { orderNo, openid: customer.openid, fen, product: product.name });
    this.nginx.request(at, { ip: `${this.rng.pick(['101.226.103', '101.226.62', '140.207.54', '183.3.234'])}.${this.rng.int(2, 120)}`, method: 'POST', path: '/api/v1/pay/notify', status: 200, bytes: 68, userAgent: 'Mozilla/4.0' });
    const stmts = [
      `SELECT id,status,total_amount FROM orders WHERE order_no=${sqlString(orderNo)} FOR UPDATE`,
      `UPDATE orders SET status=1,pay_time=${sqlString(this.sqlTime(at))},transaction_id=${sqlString(tx)} WHERE order_no=${sqlString(orderNo)}`,
    ];
    if (customer.agentId) {
      stmts.push(
        `INSERT INTO agent_commission (agent_id,order_no,amount,status,create_time) VALUES (${customer.agentId},${sqlString(orderNo)},${((fen * 0.08) / 100).toFixed(2)},0,${sqlString(this.sqlTime(at))})`,
      );
    }
    this.sql(at, stmts);
    this.orders.push({ orderNo, customer, fen, product: product.name, tx, t: at });
  }

  /** An agent logs into the mini-program and looks at the wallet and commission. */
  agentLogin(t: number, agent: Agent, c: Client, step?: string): number {
    let at = t;
    this.api(at, c, 'POST', '/api/v1/user/login', this.rng.int(300, 340), 200, step);
    this.sql(at, [`SELECT id,account,openid,status FROM agent WHERE openid=${sqlString(agent.openid)} LIMIT 1`, `UPDATE agent SET last_login_time=${sqlString(this.sqlTime(at))} WHERE id=${agent.id}`], step);
    this.oplog.write(at, { user: agent.account, ip: c.ip, action: 'login', channel: 'miniprogram', result: 'success' }, step);
    at += this.rng.int(2, 8) * SECOND;
    this.api(at, c, 'GET', '/api/v1/agent/wallet', this.rng.int(180, 220), 200, step);
    this.sql(at, [`SELECT balance,frozen,total_withdraw FROM agent_wallet WHERE agent_id=${agent.id}`], step);
    return at;
  }

  agentBrowse(t: number, agent: Agent, c: Client): void {
    let at = this.agentLogin(t, agent, c);
    for (let i = this.rng.int(0, 2); i > 0; i--) {
      at += this.rng.int(5, 60) * SECOND;
      const page = this.rng.int(1, 3);
      this.api(at, c, 'GET', `/api/v1/agent/commission?page=${page}&size=20`, this.rng.int(900, 5200));
      this.sql(at, [`SELECT order_no,amount,status,create_time FROM agent_commission WHERE agent_id=${agent.id} ORDER BY id DESC LIMIT ${(page - 1) * 20},20`]);
    }
  }

  private withdrawNo(t: number): string {
    const l = this.zone.local(t);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    this.withdrawSeq++;
    return `W${l.year}${p(l.month)}${p(l.day)}${p(l.hour)}${p(l.minute)}${p(l.second)}${p(this.withdrawSeq, 4)}`;
  }

  /**
   * An agent withdraws commission in the mini-program: auto-approved, paid out by the back office through the
   * WeChat Pay API (企业付款到零钱) about two minutes later. Returns the payout time.
   */
  agentWithdraw(t: number, agent: Agent, c: Client, fen: number, step?: string): number {
    const no = this.withdrawNo(t);
    const amount = (fen / 100).toFixed(2);
    this.api(t, c, 'POST', '/api/v1/agent/withdraw', this.rng.int(120, 140), 200, step);
    this.sql(
      t,
      [
        `SELECT balance,frozen FROM agent_wallet WHERE agent_id=${agent.id} FOR UPDATE`,
        `UPDATE agent_wallet SET balance=balance-${amount},total_withdraw=total_withdraw+${amount} WHERE agent_id=${agent.id}`,
        `INSERT INTO withdraw_record (withdraw_no,agent_id,amount,openid,status,audit_type,create_time) VALUES (${sqlString(no)},${agent.id},${amount},${sqlString(agent.openid)},1,'AUTO',${sqlString(this.sqlTime(t))})`,
      ],
      step,
    );
    this.oplog.write(t, { user: agent.account, ip: c.ip, action: 'withdraw', amount: new Money(fen / 100), target: `wechat:${agent.openid}`, channel: 'miniprogram', approval: 'auto', order: no, result: 'success' }, step);
    const paidAt = t + this.rng.int(100, 140) * SECOND;
    const paymentNo = this.pay.payout(paidAt, { partnerTradeNo: no, openid: agent.openid, fen, desc: '佣金提现', submitter: `${this.pay.merchant.mchId}API` }, step);
    this.sql(paidAt + SECOND, [`UPDATE withdraw_record SET status=2,payment_no=${sqlString(paymentNo)},pay_time=${sqlString(this.sqlTime(paidAt))} WHERE withdraw_no=${sqlString(no)}`], step);
    return paidAt;
  }

  // --- back office ------------------------------------------------------------------------------------------

  private admin(t: number, c: Client, method: string, path: string, bytes: number, status = 200): void {
    this.nginx.request(t, { ip: c.ip, method, path, status, bytes, referrer: `https://admin.${this.domain}/`, userAgent: c.userAgent });
  }

  /** A staff member signs into the back office. */
  staffLogin(t: number, s: Staff, c: Client): number {
    let at = t;
    this.nginx.request(at, { ip: c.ip, method: 'GET', path: '/admin/', status: 200, bytes: 1187, userAgent: c.userAgent });
    for (const asset of ['/admin/static/css/app.4f1e2b7c.css', '/admin/static/js/chunk-vendors.9a3d51e0.js', '/admin/static/js/app.1c7b22d4.js']) {
      this.nginx.request(at + this.rng.int(80, 400), { ip: c.ip, method: 'GET', path: asset, status: 200, bytes: this.rng.int(40_000, 900_000), referrer: `https://admin.${this.domain}/admin/`, userAgent: c.userAgent });
    }
    at += this.rng.int(8, 30) * SECOND;
    this.admin(at, c, 'POST', '/admin/api/login', 412);
    this.sql(at, [
      `SELECT id,username,password,salt,role_id,status FROM admin_user WHERE username=${sqlString(s.account)} LIMIT 1`,
      `UPDATE admin_user SET last_login_ip=${sqlString(c.ip)},last_login_time=${sqlString(this.sqlTime(at))} WHERE id=${s.adminId}`,
    ]);
    this.oplog.write(at, { user: s.account, ip: c.ip, action: 'login', channel: 'admin', result: 'success' });
    return at;
  }

  staffLogout(t: number, s: Staff, c: Client): void {
    this.admin(t, c, 'POST', '/admin/api/logout', 52);
    this.oplog.write(t, { user: s.account, ip: c.ip, action: 'logout', channel: 'admin', result: 'success' });
  }

  /** Looking at lists in the back office (orders, withdrawals, agents). */
  staffBrowse(t: number, c: Client, what: 'order' | 'withdraw' | 'agent' | 'member'): void {
    const page = this.rng.int(1, 4);
    this.admin(t, c, 'GET', `/admin/api/${what}/list?page=${page}&size=20`, this.rng.int(3000, 14000));
    const table = { order: 'orders', withdraw: 'withdraw_record', agent: 'agent', member: 'member' }[what];
    this.sql(t, [`SELECT COUNT(*) FROM ${table}`, `SELECT * FROM ${table} ORDER BY id DESC LIMIT ${(page - 1) * 20},20`]);
  }

  /** Finance exports the day's orders to a spreadsheet. */
  exportOrders(t: number, s: Staff, c: Client): void {
    const day = this.zone.plain(t).slice(0, 10);
    this.admin(t, c, 'GET', `/admin/api/order/export?start=${day}&end=${day}`, this.rng.int(20_000, 90_000));
    this.sql(t, [`SELECT o.order_no,o.total_amount,o.status,o.pay_time,o.transaction_id FROM orders o WHERE o.create_time BETWEEN '${day} 00:00:00' AND '${day} 23:59:59' ORDER BY o.id`]);
    this.oplog.write(t, { user: s.account, ip: c.ip, action: 'export', target: 'orders', detail: `${day}~${day}`, result: 'success' });
  }

  /** A finance clerk pays an agent's commission by hand from the back office (the normal way). */
  financeWithdraw(t: number, s: Staff, c: Client, agent: Agent, fen: number): void {
    const no = this.withdrawNo(t);
    const amount = (fen / 100).toFixed(2);
    this.admin(t, c, 'POST', '/admin/api/withdraw/pay', 136);
    this.sql(t, [
      `SELECT balance,frozen FROM agent_wallet WHERE agent_id=${agent.id} FOR UPDATE`,
      `UPDATE agent_wallet SET balance=balance-${amount},total_withdraw=total_withdraw+${amount} WHERE agent_id=${agent.id}`,
      `INSERT INTO withdraw_record (withdraw_no,agent_id,amount,openid,status,audit_type,auditor,create_time) VALUES (${sqlString(no)},${agent.id},${amount},${sqlString(agent.openid)},1,'MANUAL',${sqlString(s.account)},${sqlString(this.sqlTime(t))})`,
    ]);
    const paidAt = t + this.rng.int(2, 6) * SECOND;
    const paymentNo = this.pay.payout(paidAt, { partnerTradeNo: no, openid: agent.openid, fen, desc: '佣金提现', submitter: `${this.pay.merchant.mchId}API` });
    this.sql(paidAt, [`UPDATE withdraw_record SET status=2,payment_no=${sqlString(paymentNo)},pay_time=${sqlString(this.sqlTime(paidAt))} WHERE withdraw_no=${sqlString(no)}`]);
    this.oplog.write(paidAt, { user: s.account, ip: c.ip, action: 'withdraw', amount: new Money(fen / 100), target: `wechat:${agent.openid}`, agent: agent.account, order: no, result: 'success' });
  }

  /** Customer service files a refund; finance approves it later and WeChat Pay refunds it. */
  refund(t: number, service: Staff, serviceClient: Client, finance: Staff, financeClient: Client): boolean {
    const candidates = this.orders.filter((o) => o.t < t - 30 * MINUTE);
    if (candidates.length === 0) return false;
    const order = this.rng.pick(candidates.slice(-40));
    this.orders.splice(this.orders.indexOf(order), 1);
    const refundNo = `R${order.orderNo}`;
    this.admin(t, serviceClient, 'POST', '/admin/api/refund/apply', 98);
    this.sql(t, [`INSERT INTO refund_record (refund_no,order_no,amount,reason,status,applicant,create_time) VALUES (${sqlString(refundNo)},${sqlString(order.orderNo)},${(order.fen / 100).toFixed(2)},'客户申请退货',0,${sqlString(service.account)},${sqlString(this.sqlTime(t))})`]);
    this.oplog.write(t, { user: service.account, ip: serviceClient.ip, action: 'refund_apply', amount: new Money(order.fen / 100), target: order.orderNo, result: 'success' });
    const approved = t + this.rng.int(10, 90) * MINUTE;
    this.b.at(approved, () => {
      this.admin(approved, financeClient, 'POST', '/admin/api/refund/audit', 102);
      this.sql(approved, [`UPDATE refund_record SET status=1,auditor=${sqlString(finance.account)},audit_time=${sqlString(this.sqlTime(approved))} WHERE refund_no=${sqlString(refundNo)}`]);
      this.oplog.write(approved, { user: finance.account, ip: financeClient.ip, action: 'refund', amount: new Money(order.fen / 100), target: order.orderNo, result: 'success' });
      this.pay.refund(approved + 2 * SECOND, { transactionId: order.tx, orderNo: order.orderNo, openid: order.customer.openid, fen: order.fen, product: order.product, submitter: `${this.pay.merchant.mchId}API`, refundNo });
    });
    return true;
  }

  /** An administrator edits an agent's or a product's settings. */
  adminEdit(t: number, s: Staff, c: Client, agent: Agent): void {
    if (this.rng.chance(0.5)) {
      this.admin(t, c, 'POST', '/admin/api/agent/update', 88);
      this.sql(t, [`UPDATE agent SET level=${this.rng.int(1, 3)},update_time=${sqlString(this.sqlTime(t))} WHERE id=${agent.id}`]);
      this.oplog.write(t, { user: s.account, ip: c.ip, action: 'agent_update', target: agent.account, result: 'success' });
    } else {
      const p = this.rng.pick(PRODUCTS);
      this.admin(t, c, 'POST', '/admin/api/goods/update', 88);
      this.sql(t, [`UPDATE goods SET stock=${this.rng.int(20, 400)},update_time=${sqlString(this.sqlTime(t))} WHERE id=${p.id}`]);
      this.oplog.write(t, { user: s.account, ip: c.ip, action: 'goods_update', target: String(p.id), result: 'success' });
    }
  }

  static staffClient(rng: Random, officeIp: string): Client {
    return { ip: officeIp, userAgent: rng.pick([...USER_AGENTS.chromeWin, ...USER_AGENTS.macSafari]) };
  }
}
