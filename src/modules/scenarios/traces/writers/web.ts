/** nginx access log, `log_format combined` (the default). */
import type { LogFile } from '../bundle.js';
import type { Zone } from '../clock.js';

export interface HttpRequest {
  ip: string;
  method: string;
  /** Path and query, already percent-encoded as a client sends it. */
  path: string;
  protocol?: string;
  status: number;
  bytes: number;
  referrer?: string;
  userAgent?: string;
  remoteUser?: string;
  /** The raw request line instead of METHOD PATH PROTOCOL (garbage sent by scanners, already escaped). */
  rawRequest?: string;
}

/** nginx's escaping of "$request", "$http_referer" and "$http_user_agent": `"`, `\` and non-printables as \xHH. */
export function nginxEscape(value: string): string {
  if (/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(value)) return value;
  let out = '';
  for (const ch of Buffer.from(value, 'utf8')) {
    if (ch === 0x22 || ch === 0x5c || ch < 0x20 || ch > 0x7e) out += `\\x${ch.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += String.fromCharCode(ch);
  }
  return out;
}

export class NginxLog {
  constructor(
    readonly file: LogFile,
    private readonly zone: Zone,
  ) {}

  /** `1.2.3.4 - - [17/Apr/2020:23:45:01 +0800] "GET /api/… HTTP/1.1" 200 512 "-" "Mozilla/5.0 …"` */
  request(t: number, r: HttpRequest, step?: string): void {
    const request = r.rawRequest ?? nginxEscape(`${r.method} ${r.path} ${r.protocol ?? 'HTTP/1.1'}`);
    const referrer = r.referrer ? nginxEscape(r.referrer) : '-';
    const ua = r.userAgent ? nginxEscape(r.userAgent) : '-';
    this.file.add(t, `${r.ip} - ${r.remoteUser ?? '-'} [${this.zone.nginx(t)}] "${request}" ${r.status} ${r.bytes} "${referrer}" "${ua}"`, step);
  }
}

export const USER_AGENTS = {
  chromeWin: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.163 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.92 Safari/537.36',
    'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.25 Safari/537.36 Core/1.70.3756.400 QQBrowser/10.5.4039.400',
  ],
  macSafari: ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1 Safari/605.1.15'],
  wechatIos: [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 13_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/7.0.11(0x17000b21) NetType/WIFI Language/zh_CN',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 13_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/7.0.12(0x17000c21) NetType/4G Language/zh_CN',
  ],
  wechatAndroid: [
    'Mozilla/5.0 (Linux; Android 10; HMA-AL00 Build/HUAWEIHMA-AL00; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.62 XWEB/2469 MMWEBSDK/200301 Mobile Safari/537.36 MMWEBID/4129 MicroMessenger/7.0.13.1640(0x27000D39) Process/appbrand0 NetType/4G Language/zh_CN ABI/arm64',
    'Mozilla/5.0 (Linux; Android 9; MI 8 Build/PKQ1.180729.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.62 XWEB/2469 MMWEBSDK/200201 Mobile Safari/537.36 MMWEBID/6671 MicroMessenger/7.0.12.1620(0x27000C37) Process/appbrand2 WeChat/arm64 NetType/WIFI Language/zh_CN ABI/arm64',
    'Mozilla/5.0 (Linux; Android 10; VOG-AL10 Build/HUAWEIVOG-AL10; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.62 XWEB/2469 MMWEBSDK/200301 Mobile Safari/537.36 MMWEBID/2255 MicroMessenger/7.0.13.1640(0x27000D39) Process/appbrand1 NetType/WIFI Language/zh_CN ABI/arm64',
  ],
  scanners: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Safari/537.36',
    'Mozilla/5.0 zgrab/0.x',
    'python-requests/2.23.0',
    'Go-http-client/1.1',
    'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
    'curl/7.58.0',
  ],
  bots: [
    'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    'Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)',
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  ],
} as const;
