import type { ServiceContext } from '../../context.js';
import { getCompanyProfile } from '../org/service.js';

/**
 * A small document model shared by the Markdown, HTML and DOCX renderers. Every string is plain text:
 * renderers escape it for their format and never interpret markup in it.
 */
export type ReportLang = 'zh-CN' | 'en';

export interface ListItem {
  text: string;
  /** Indented lines under the item (e.g. a report's fields). */
  sub?: string[];
}

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  /** A paragraph; `label` (ours, not user text) is shown in bold before the text. */
  | { type: 'paragraph'; text: string; label?: string }
  /** A list; renderers number ordered items 1., 2. … */
  | { type: 'list'; ordered: boolean; items: ListItem[] }
  | { type: 'kv'; rows: [string, string][] }
  /** A table; `widths` are relative column widths (percent), equal when absent. */
  | { type: 'table'; header: string[]; rows: string[][]; widths?: number[] }
  /** Where people sign: labels with a blank line each. */
  | { type: 'signature'; lines: string[] }
  /** A chart: SVG, and a caption (plain text) under it. */
  | { type: 'image'; svg: string; width: number; height: number; caption: string };

export interface DocumentModel {
  lang: ReportLang;
  /** The document title (a drill's is marked 【演练】 / EXERCISE). */
  title: string;
  /** Running header text: the company or drill name. */
  header: string;
  /** A line under the title (e.g. the template's note), optional. */
  subtitle?: string;
  blocks: Block[];
}

export const EXERCISE_MARK: Record<ReportLang, string> = { 'zh-CN': '【演练】', en: '[EXERCISE]' };

const TZ = 'Asia/Shanghai';

/** Wall-clock time in China as H:MM (e.g. "9:15"). */
export function shanghaiTime(iso: string | Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return `${hour}:${minute}`;
}

/** The calendar date in China: 2020年4月18日 / 18 April 2020. */
export function shanghaiDate(iso: string | Date, lang: ReportLang): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(iso));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? '0');
  const [y, m, d] = [get('year'), get('month'), get('day')];
  if (lang === 'zh-CN') return `${y}年${m}月${d}日`;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${d} ${months[m - 1]} ${y}`;
}

/** YYYY-MM-DD in China, for file names. */
export function shanghaiIsoDate(iso: string | Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** A duration as people read it: "10 分钟", "9 小时 44 分钟" / "10 min", "9 h 44 min"; "—" for null. */
export function formatMinutes(ms: number | null, lang: ReportLang): string {
  if (ms === null) return '—';
  const min = Math.round(ms / 6000) / 10;
  const [h, m] = [Math.floor(Math.round(min) / 60), Math.round(min) % 60];
  if (lang === 'zh-CN') return h === 0 ? `${min} 分钟` : `${h} 小时${m ? ` ${m} 分钟` : ''}`;
  return h === 0 ? `${min} min` : `${h} h${m ? ` ${m} min` : ''}`;
}

/** A deadline as people say it: 10 分钟, 2 小时, 1 天 / 10 min, 2 h, 1 day. */
export function formatWithin(minutes: number, lang: ReportLang): string {
  if (minutes % 1440 === 0) return lang === 'zh-CN' ? `${minutes / 1440} 天` : `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return lang === 'zh-CN' ? `${minutes / 60} 小时` : `${minutes / 60} h`;
  return lang === 'zh-CN' ? `${minutes} 分钟` : `${minutes} min`;
}

/** A date and time in China: 2020年4月18日 9:15 / 18 April 2020, 9:15. */
export function shanghaiDateTime(iso: string | Date | null, lang: ReportLang): string {
  if (iso === null) return '—';
  return lang === 'zh-CN' ? `${shanghaiDate(iso, lang)} ${shanghaiTime(iso)}` : `${shanghaiDate(iso, lang)}, ${shanghaiTime(iso)}`;
}

/**
 * The running header of a report: the company's name (Chinese or English as the report), and 【演练】/EXERCISE
 * for anything from a drill. Falls back to `fallback` (the drill or incident title) when no name is set.
 */
export async function reportHeader(ctx: Pick<ServiceContext, 'db'>, lang: ReportLang, exercise: boolean, fallback: string): Promise<string> {
  const company = await getCompanyProfile(ctx.db);
  const name = (lang === 'en' ? company.nameEn || company.name : company.name || company.nameEn) || fallback;
  const withUnit = company.department ? `${name}${lang === 'zh-CN' ? ' ' : ' — '}${company.department}` : name;
  return exercise ? `${EXERCISE_MARK[lang]}${lang === 'en' ? ' ' : ''}${withUnit}` : withUnit;
}
