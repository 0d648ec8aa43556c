/** Format name → its parser. */
import { AccessLogParser } from './access.js';
import { CsvParser } from './csv.js';
import { JsonlParser } from './jsonl.js';
import { MysqlParser } from './mysql.js';
import { PostgresCsvParser, PostgresParser } from './postgres.js';
import { SyslogParser } from './syslog.js';
import type { FormatParser, ParserContext, ParserName } from './types.js';
import { WechatPayParser } from './wechatpay.js';

export function createFormatParser(name: ParserName, ctx: ParserContext): FormatParser {
  switch (name) {
    case 'auth':
    case 'syslog':
      return new SyslogParser(ctx);
    case 'nginx':
    case 'apache':
      return new AccessLogParser(ctx, name);
    case 'mysql':
      return new MysqlParser(ctx);
    case 'postgres':
      return new PostgresParser(ctx);
    case 'postgres-csv':
      return new PostgresCsvParser(ctx);
    case 'jsonl':
      return new JsonlParser(ctx);
    case 'csv':
      return new CsvParser(ctx);
    case 'wechatpay':
      return new WechatPayParser(ctx);
  }
}
