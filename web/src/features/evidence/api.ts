import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, ApiError, reportUnauthorized } from '../../api/client';
import i18n, { currentLocale } from '../../i18n';

/** The shapes of the evidence API (src/modules/evidence/schema.ts and routes.ts). */

export const PARSER_CHOICES = ['auto', 'none', 'auth', 'syslog', 'nginx', 'apache', 'mysql', 'postgres', 'postgres-csv', 'jsonl', 'csv', 'wechatpay'] as const;
export const ENCODING_CHOICES = ['auto', 'utf8', 'gbk', 'gb18030'] as const;
export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_COLORS: Record<string, string> = { informational: 'default', low: 'blue', medium: 'gold', high: 'orange', critical: 'red' };

export interface IngestReport {
  parser: string | null;
  encoding: string | null;
  bytes: number;
  lines: number;
  events: number;
  skipped: number;
  unparsed: number;
  /** The first line numbers (1-based) of lines that did not parse. */
  unparsedLines: number[];
}

export interface Evidence {
  id: string;
  incidentId: string;
  exercise: boolean;
  filename: string;
  sha256: string;
  size: number;
  contentSha256: string;
  contentSize: number;
  gzip: boolean;
  mediaType: string;
  collectedAt: string;
  collectedBy: string;
  origin: string;
  description: string;
  timeZone: string;
  parser: string | null;
  encoding: string | null;
  status: 'stored' | 'parsing' | 'parsed' | 'failed';
  report: IngestReport | null;
  generated: boolean;
  createdAt: string;
}

export interface CustodyEntry {
  action: 'collected' | 'viewed' | 'downloaded' | 'exported' | 'parsed' | 'searched';
  actor: string;
  at: string;
  detail: string;
}

export interface EvidenceDetail extends Evidence {
  custody: CustodyEntry[];
}

export interface EvidenceEvent {
  id: number;
  evidenceId: string;
  time: string | null;
  host: string | null;
  source: string;
  type: string;
  user: string | null;
  srcIp: string | null;
  target: string | null;
  action: string | null;
  outcome: string | null;
  message: string;
  fields: Record<string, unknown>;
  lineNo: number;
}

/** The filters of a search (all optional; lists are comma-separated). */
export interface SearchFilters {
  from?: string;
  to?: string;
  host?: string;
  type?: string;
  user?: string;
  ip?: string;
  text?: string;
  evidenceId?: string;
}
export const FILTER_KEYS = ['from', 'to', 'host', 'type', 'user', 'ip', 'text', 'evidenceId'] as const;

export interface RawLine {
  eventId: number;
  evidenceId: string;
  filename: string;
  sha256: string;
  lineNo: number;
  offset: number;
  length: number;
  encoding: string | null;
  text: string;
  base64: string;
}

export interface Histogram {
  bucket: 'minute' | 'hour' | 'day';
  buckets: { at: string; count: number }[];
}

export interface Pivots {
  users: { value: string; count: number }[];
  ips: { value: string; count: number }[];
  types: { value: string; count: number }[];
  firstSeenIps: { value: string; firstSeen: string; count: number }[];
}

export interface SavedSearch {
  id: string;
  incidentId: string | null;
  name: string;
  query: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
}

export interface Finding {
  entryId: string;
  text: string;
  at: string;
  createdAt: string;
  drillTimeMs: number | null;
  actor: string;
  evidence: {
    eventIds: number[];
    total: number;
    query?: Record<string, string | number>;
    rule?: { id: string; name?: string; title: string; level?: string; author?: string; groupKey?: Record<string, string> };
    firstTime?: string | null;
    lastTime?: string | null;
    severity?: Severity;
  } | null;
}

export interface DetectionRun {
  hits: number;
  created: Finding[];
  errors: { ruleId: string; title: string; code: string; message: string }[];
}

export const evidenceKeys = {
  all: (caseId: string) => ['evidence', caseId] as const,
  files: (caseId: string) => ['evidence', caseId, 'files'] as const,
  detail: (evidenceId: string) => ['evidence', 'file', evidenceId] as const,
  events: (caseId: string) => ['evidence', caseId, 'events'] as const,
  saved: (caseId: string) => ['evidence', caseId, 'saved'] as const,
  findings: (caseId: string) => ['evidence', caseId, 'findings'] as const,
};

/** Only the filters that are set, as query parameters. */
export function cleanFilters(filters: SearchFilters): SearchFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, (v as string).trim()]));
}

export function useEvidenceFiles(caseId: string) {
  return useQuery({ queryKey: evidenceKeys.files(caseId), queryFn: () => api<{ evidence: Evidence[] }>(`/cases/${caseId}/evidence`), select: (d) => d.evidence });
}

export function useEvidenceDetail(evidenceId: string | null) {
  return useQuery({ queryKey: evidenceKeys.detail(evidenceId ?? ''), queryFn: () => api<EvidenceDetail>(`/evidence/${evidenceId}`), enabled: !!evidenceId, staleTime: 0 });
}

export function useEventSearch(caseId: string, filters: SearchFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...evidenceKeys.events(caseId), 'search', filters, page, pageSize],
    queryFn: () => api<{ total: number; events: EvidenceEvent[] }>(`/cases/${caseId}/events`, { query: { ...filters, limit: pageSize, offset: (page - 1) * pageSize } }),
    placeholderData: keepPreviousData,
  });
}

export function useHistogram(caseId: string, filters: SearchFilters) {
  return useQuery({ queryKey: [...evidenceKeys.events(caseId), 'histogram', filters], queryFn: () => api<Histogram>(`/cases/${caseId}/events/histogram`, { query: { ...filters } }), placeholderData: keepPreviousData });
}

export function usePivots(caseId: string, filters: SearchFilters) {
  return useQuery({ queryKey: [...evidenceKeys.events(caseId), 'pivots', filters], queryFn: () => api<Pivots>(`/cases/${caseId}/events/pivots`, { query: { ...filters } }), placeholderData: keepPreviousData });
}

export function useRawLine(eventId: number) {
  return useQuery({ queryKey: ['evidence', 'raw', eventId], queryFn: () => api<RawLine>(`/events/${eventId}/raw`), staleTime: Infinity });
}

export function useSavedSearches(caseId: string) {
  return useQuery({ queryKey: evidenceKeys.saved(caseId), queryFn: () => api<{ searches: SavedSearch[] }>(`/cases/${caseId}/saved-searches`), select: (d) => d.searches });
}

export function useFindings(caseId: string) {
  return useQuery({ queryKey: evidenceKeys.findings(caseId), queryFn: () => api<{ findings: Finding[] }>(`/cases/${caseId}/findings`), select: (d) => d.findings });
}

/** The events a finding rests on (those kept on it, up to 1,000). */
export function useFindingEvents(caseId: string, entryId: string) {
  return useQuery({ queryKey: [...evidenceKeys.findings(caseId), entryId, 'events'], queryFn: () => api<{ events: EvidenceEvent[] }>(`/cases/${caseId}/findings/${entryId}/events`), select: (d) => d.events });
}

export interface UploadFields {
  collectedAt?: string;
  origin?: string;
  timeZone?: string;
  parser?: string;
  encoding?: string;
}

/**
 * Uploads one evidence file as multipart/form-data (the fields before the file, as the server wants) with
 * XMLHttpRequest, so the bytes sent can be reported while they go. Resolves with the stored evidence and its
 * ingestion report; rejects with ApiError (the server's code and message, already in the interface language).
 */
export function uploadEvidence(
  caseId: string,
  file: File,
  fields: UploadFields,
  onProgress: (sent: number, total: number) => void,
): { promise: Promise<{ evidence: Evidence; report: IngestReport | null }>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<{ evidence: Evidence; report: IngestReport | null }>((resolve, reject) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) if (value) form.append(key, value);
    form.append('file', file, file.name);
    xhr.open('POST', `/api/cases/${caseId}/evidence`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', currentLocale());
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, 'network_error', i18n.t('errors.network_error')));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', i18n.t('evidence.upload.aborted')));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status === 201) return resolve(data as { evidence: Evidence; report: IngestReport | null });
      const envelope = data as { error?: { code?: string; message?: string; details?: unknown }; requestId?: string } | null;
      const error = new ApiError(xhr.status, envelope?.error?.code ?? `http_${xhr.status}`, envelope?.error?.message ?? `${xhr.status} ${xhr.statusText}`, envelope?.error?.details, envelope?.requestId);
      // The session ended while the file was sent: sign out as any other request would.
      if (xhr.status === 401) reportUnauthorized(error.code);
      reject(error);
    };
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

/** Bytes as B / KB / MB / GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** A finding's title: the first line of its text. */
export function findingTitle(text: string): string {
  return text.split('\n')[0] ?? '';
}
