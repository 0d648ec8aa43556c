import { isIP } from 'node:net';
import { and, asc, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { actorName, type ServiceContext } from '../../context.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { evidenceEvents, savedSearches, type EvidenceEvent, type SearchFilters, type SearchQuery } from './schema.js';
import { resolveCase } from './service.js';

const e = evidenceEvents;

/** A LIKE pattern matching `text` literally anywhere. */
function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const listOf = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** Throws `search_ip_invalid` unless `value` is an IPv4/IPv6 address or CIDR block. */
function checkIp(value: string): { cidr: boolean } {
  const [address, bits, extra] = value.split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  const ok = family !== 0 && extra === undefined && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max));
  if (!ok) throw new ValidationError('search_ip_invalid', `Not an IP address or CIDR block: ${value}`, { value });
  return { cidr: bits !== undefined };
}

/** The WHERE clause of a search over one incident's events. Throws `search_ip_invalid`, `search_time_invalid`. */
export function searchWhere(incidentId: string, f: SearchFilters): SQL {
  const where: SQL[] = [eq(e.incidentId, incidentId)];
  if (f.from && f.to && Date.parse(f.from) > Date.parse(f.to)) throw new ValidationError('search_time_invalid', 'The search ends before it starts', { from: f.from, to: f.to });
  if (f.from) where.push(sql`${e.time} >= ${new Date(f.from).toISOString()}::timestamptz`);
  if (f.to) where.push(sql`${e.time} <= ${new Date(f.to).toISOString()}::timestamptz`);
  const inList = (column: SQL | AnyPgColumn, values: string[]) => (values.length === 1 ? sql`${column} = ${values[0]}` : sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`);
  const hosts = listOf(f.host);
  if (hosts.length) where.push(inList(e.host, hosts));
  const types = listOf(f.type);
  if (types.length) where.push(inList(e.type, types));
  const sources = listOf(f.source);
  if (sources.length) where.push(inList(e.source, sources));
  const users = listOf(f.user);
  if (users.length) where.push(inList(e.userName, users));
  if (f.ip) {
    const ip = f.ip.trim();
    const { cidr } = checkIp(ip);
    where.push(cidr ? sql`${e.srcIp} <<= ${ip}::inet` : sql`${e.srcIp} = ${ip}::inet`);
  }
  for (const word of (f.text ?? '').split(/\s+/).filter(Boolean)) where.push(sql`${e.message} ilike ${contains(word)}`);
  if (f.evidenceId) where.push(eq(e.evidenceId, f.evidenceId));
  return and(...where)!;
}

type EventRow = {
  id: number;
  evidence_id: string;
  time: string | Date | null;
  host: string | null;
  source: string;
  type: string;
  user_name: string | null;
  src_ip: string | null;
  target: string | null;
  action: string | null;
  outcome: string | null;
  message: string;
  fields: Record<string, unknown> | string;
  line_no: number;
};

const iso = (t: string | Date | null) => (t === null ? null : new Date(t).toISOString());

function toEvent(r: EventRow): EvidenceEvent {
  return {
    id: Number(r.id),
    evidenceId: r.evidence_id,
    time: iso(r.time),
    host: r.host,
    source: r.source,
    type: r.type,
    user: r.user_name,
    srcIp: r.src_ip,
    target: r.target,
    action: r.action,
    outcome: r.outcome,
    message: r.message,
    fields: typeof r.fields === 'string' ? JSON.parse(r.fields) : r.fields,
    lineNo: Number(r.line_no),
  };
}

const COLUMNS = sql.raw('id, evidence_id, time, host, source, type, user_name, host(src_ip) as src_ip, target, action, outcome, message, fields, line_no');

async function rows<T>(ctx: Pick<ServiceContext, 'db'>, query: SQL): Promise<T[]> {
  const result = await ctx.db.execute(query);
  return (result as unknown as { rows: T[] }).rows;
}

/**
 * Events of an incident or drill matching the filters, a page at a time, with the total number that match.
 * Throws NotFound, `search_ip_invalid`, `search_time_invalid`.
 */
export async function searchEvents(ctx: ServiceContext, targetId: string, q: SearchQuery): Promise<{ total: number; events: EvidenceEvent[] }> {
  const incident = await resolveCase(ctx, targetId);
  const where = searchWhere(incident.id, q);
  const order = q.order === 'desc' ? sql.raw('time desc nulls last, id desc') : sql.raw('time asc nulls first, id asc');
  const [page, [count]] = await Promise.all([
    rows<EventRow>(ctx, sql`select ${COLUMNS} from evidence_events where ${where} order by ${order} limit ${q.limit} offset ${q.offset}`),
    rows<{ n: string | number }>(ctx, sql`select count(*) as n from evidence_events where ${where}`),
  ]);
  return { total: Number(count.n), events: page.map(toEvent) };
}

/** Events by id, limited to one incident (a finding never reaches into another incident's evidence). */
export async function eventsByIds(ctx: Pick<ServiceContext, 'db'>, incidentId: string, ids: number[]): Promise<EvidenceEvent[]> {
  if (ids.length === 0) return [];
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  return (await rows<EventRow>(ctx, sql`select ${COLUMNS} from evidence_events where incident_id = ${incidentId} and id in (${list}) order by time asc nulls first, id asc`)).map(toEvent);
}

/** Ids of the events a search matches (at most `limit`), and how many match in all. */
export async function matchingEventIds(ctx: ServiceContext, incidentId: string, filters: SearchFilters, limit: number) {
  const where = searchWhere(incidentId, filters);
  const [ids, [count]] = await Promise.all([
    rows<{ id: number; time: string | Date | null }>(ctx, sql`select id, time from evidence_events where ${where} order by time asc nulls first, id asc limit ${limit}`),
    rows<{ n: string | number; first: string | Date | null; last: string | Date | null }>(ctx, sql`select count(*) as n, min(time) as first, max(time) as last from evidence_events where ${where}`),
  ]);
  return { ids: ids.map((r) => Number(r.id)), total: Number(count.n), firstTime: iso(count.first), lastTime: iso(count.last) };
}

const BUCKETS = [
  { bucket: 'minute' as const, upTo: 6 * 3600_000 },
  { bucket: 'hour' as const, upTo: 14 * 24 * 3600_000 },
  { bucket: 'day' as const, upTo: Infinity },
];

/** How many matching events fall in each minute, hour or day (chosen by the span), days counted in `timeZone`. */
export async function eventHistogram(ctx: ServiceContext, targetId: string, filters: SearchFilters, timeZone = 'Asia/Shanghai') {
  const incident = await resolveCase(ctx, targetId);
  const where = searchWhere(incident.id, filters);
  const [span] = await rows<{ first: string | Date | null; last: string | Date | null }>(ctx, sql`select min(time) as first, max(time) as last from evidence_events where ${where}`);
  if (!span.first || !span.last) return { bucket: 'hour' as const, buckets: [] };
  const width = Date.parse(iso(span.last)!) - Date.parse(iso(span.first)!);
  const { bucket } = BUCKETS.find((b) => width <= b.upTo)!;
  const buckets = await rows<{ at: string | Date; n: string | number }>(
    ctx,
    sql`select date_trunc(${bucket}, time, ${timeZone}) as at, count(*) as n from evidence_events where ${where} and time is not null group by 1 order by 1`,
  );
  return { bucket, buckets: buckets.map((b) => ({ at: iso(b.at)!, count: Number(b.n) })) };
}

/** Top users, addresses and types among the matching events, and the addresses by when they first appear. */
export async function eventPivots(ctx: ServiceContext, targetId: string, filters: SearchFilters, top = 10) {
  const incident = await resolveCase(ctx, targetId);
  const where = searchWhere(incident.id, filters);
  const counted = (column: string) =>
    rows<{ value: string; n: string | number }>(ctx, sql`select ${sql.raw(column)} as value, count(*) as n from evidence_events where ${where} and ${sql.raw(column)} is not null group by 1 order by 2 desc, 1 limit ${top}`);
  const [users, ips, types, firstSeen] = await Promise.all([
    counted('user_name'),
    counted('host(src_ip)'),
    counted('type'),
    rows<{ value: string; first: string | Date; n: string | number }>(
      ctx,
      sql`select host(src_ip) as value, min(time) as first, count(*) as n from evidence_events where ${where} and src_ip is not null and time is not null group by src_ip order by 2 desc limit ${top}`,
    ),
  ]);
  const pairs = (list: { value: string; n: string | number }[]) => list.map((r) => ({ value: r.value, count: Number(r.n) }));
  return { users: pairs(users), ips: pairs(ips), types: pairs(types), firstSeenIps: firstSeen.map((r) => ({ value: r.value, firstSeen: iso(r.first)!, count: Number(r.n) })) };
}

// ---------- saved searches ----------

function toSaved(r: typeof savedSearches.$inferSelect) {
  return { id: r.id, incidentId: r.incidentId, name: r.name, query: r.query, createdBy: r.createdBy, createdAt: r.createdAt.toISOString() };
}

/** Saved searches usable on an incident or drill: its own and the company-wide ones. */
export async function listSavedSearches(ctx: ServiceContext, targetId: string) {
  const incident = await resolveCase(ctx, targetId);
  const list = await ctx.db
    .select()
    .from(savedSearches)
    .where(or(eq(savedSearches.incidentId, incident.id), isNull(savedSearches.incidentId)))
    .orderBy(asc(savedSearches.name), desc(savedSearches.createdAt));
  return list.map(toSaved);
}

/** Saves a search by name, for this incident or (global) every incident. Audited. */
export async function saveSearch(ctx: ServiceContext, targetId: string, body: { name: string; query: SearchFilters; global?: boolean }) {
  const incident = await resolveCase(ctx, targetId);
  searchWhere(incident.id, body.query); // refuse a search that could not run
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(savedSearches)
      .values({ incidentId: body.global ? null : incident.id, name: body.name, query: body.query, createdBy: actorName(ctx.actor) })
      .returning();
    await appendAudit(tx, ctx, { action: 'saved_search.create', entityType: 'saved_search', entityId: row.id, after: toSaved(row) });
    return toSaved(row);
  });
}

/** Deletes a saved search. Throws NotFound. */
export async function deleteSavedSearch(ctx: ServiceContext, searchId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(savedSearches).where(eq(savedSearches.id, searchId)).returning();
    if (!row) throw new NotFoundError('saved_search', searchId);
    await appendAudit(tx, ctx, { action: 'saved_search.delete', entityType: 'saved_search', entityId: searchId, before: toSaved(row) });
  });
}
