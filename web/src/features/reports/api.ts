import { ApiError } from '../../api/client';
import i18n, { currentLocale } from '../../i18n';

export const REPORT_KINDS = ['record', 'evaluation', 'investigation'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_FORMATS = ['docx', 'md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_LANGS = ['zh-CN', 'en'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

/** A drill's report: GET /api/drills/:drillId/reports/:kind?format&lang. */
export function drillReportUrl(drillId: string, kind: ReportKind, format: ReportFormat, lang: ReportLang): string {
  return `/api/drills/${drillId}/reports/${kind}?format=${format}&lang=${lang}`;
}

/** A real incident's investigation report: GET /api/incidents/:incidentId/reports/investigation?format&lang. */
export function incidentReportUrl(incidentId: string, format: ReportFormat, lang: ReportLang): string {
  return `/api/incidents/${incidentId}/reports/investigation?format=${format}&lang=${lang}`;
}

/** The file name a Content-Disposition header suggests (filename*=UTF-8'' first, then filename=). */
export function dispositionFilename(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header);
  return plain ? (plain[1] ?? plain[2]).trim() : null;
}

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown }; requestId?: string } | null;
  return new ApiError(response.status, body?.error?.code ?? `http_${response.status}`, body?.error?.message ?? `${response.status} ${response.statusText}`, body?.error?.details, body?.requestId);
}

/**
 * Whether a report can be rendered (the preview asks before it frames the report), without reading its body.
 * Rejects with the API's error (404 route_not_found for a kind the server does not offer yet).
 */
export async function checkReport(url: string): Promise<true> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { 'Accept-Language': currentLocale() }, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network_error', i18n.t('errors.network_error'));
  }
  if (!response.ok) throw await failure(response);
  await response.body?.cancel();
  return true;
}

/** Downloads a file from the API under the name its Content-Disposition suggests; rejects with the API's error. */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { 'Accept-Language': currentLocale() }, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network_error', i18n.t('errors.network_error'));
  }
  if (!response.ok) throw await failure(response);
  const name = dispositionFilename(response.headers.get('content-disposition')) ?? fallbackName;
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the blob goes.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}
