import { z } from 'zod';
import type { Locale } from '../i18n/index.js';

const zhCN = z.locales.zhCN();

/** Our own refinement messages, which zod's locales do not know. */
const CUSTOM_ZH: Record<string, string> = {
  'contains a character that cannot be stored': '包含无法保存的字符',
  'letters, digits and . _ @ - only': '只能包含字母、数字和 . _ @ -',
  'digits, spaces and + - ( ) only': '只能包含数字、空格和 + - ( )',
};

const TYPE_ZH: Record<string, string> = { string: '字符串', number: '数字', boolean: '布尔值', object: '对象', array: '数组' };

type Issue = Parameters<typeof zhCN.localeError>[0] & { message?: string; code?: string; expected?: string };

/** A validation issue in the caller's language. English uses zod's own text; Chinese zod's zh-CN locale. */
export function describeIssue(issue: Issue, locale: Locale): string {
  const original = issue.message ?? 'invalid';
  const missing = issue.code === 'invalid_type' && /received undefined$/.test(original);
  if (missing) return locale === 'en' ? 'required' : '必填';
  if (locale === 'en') return original;
  if (CUSTOM_ZH[original]) return CUSTOM_ZH[original];
  // The issue no longer carries the input, so zod would say "received undefined": leave that part out.
  if (issue.code === 'invalid_type') return `类型错误：应为${TYPE_ZH[issue.expected ?? ''] ?? issue.expected}`;
  const localized = zhCN.localeError(issue);
  return (typeof localized === 'string' ? localized : localized?.message) ?? original;
}
