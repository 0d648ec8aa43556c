/** Format name → its parser. */
import { SyslogParser } from './syslog.js';
import type { FormatParser, ParserContext, ParserName } from './types.js';

export function createFormatParser(name: ParserName, ctx: ParserContext): FormatParser {
  switch (name) {
    case 'auth':
    case 'syslog':
      return new SyslogParser(ctx);
    default:
      throw new Error(`parser ${name} not yet written`);
  }
}
