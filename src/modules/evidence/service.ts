import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { actorLabel, actorName, type ServiceContext } from '../../context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import type { Incident } from '../incidents/schema.js';
import { drillIncident, getIncident } from '../incidents/service.js';
import type { Db } from '../../db/types.js';
import { copyRowsFile, CopySink, isPostgres, RowsFile } from './event-loader.js';
import { prepareEvidence, type PreparedEvidence } from './ingest.js';
import type { ParserName } from './parsers/index.js';
import { evidenceCustody, evidenceEvents, evidenceFiles, type CUSTODY_ACTIONS, type Evidence, type EvidenceDetail, type EvidenceFields, type IngestReport } from './schema.js';
import type { EvidenceStore } from './store.js';

type EvidenceRow = typeof evidenceFiles.$inferSelect;
type CustodyAction = (typeof CUSTODY_ACTIONS)[number];

function toEvidence(row: EvidenceRow, exercise: boolean): Evidence {
  return {
    id: row.id,
    incidentId: row.incidentId,
    exercise,
    filename: row.filename,
    sha256: row.sha256,
    size: row.size,
    contentSha256: row.contentSha256,
    contentSize: row.contentSize,
    gzip: row.gzip,
    mediaType: row.mediaType,
    collectedAt: row.collectedAt.toISOString(),
    collectedBy: row.collectedBy,
    origin: row.origin,
    description: row.description,
    timeZone: row.timeZone,
    parser: row.parser,
    encoding: row.encoding,
    status: row.status,
    report: (row.report as IngestReport | null) ?? null,
    generated: row.generated,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * The incident evidence is filed under: `id` names an incident, or a drill (whose evidence belongs to the drill's
 * incident). Throws NotFound naming both.
 */
export async function resolveCase(ctx: Pick<ServiceContext, 'db'>, id: string): Promise<Incident> {
  const ofDrill = await drillIncident(ctx.db, id);
  if (ofDrill) return ofDrill;
  try {
    return await getIncident(ctx, id);
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError('incident_or_drill', id);
    throw err;
  }
}

export interface AddEvidenceInput extends EvidenceFields {
  filename: string;
  source: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>;
  mediaType?: string;
  /** Drill traces made by a technical inject. */
  generated?: boolean;
  onProgress?: (bytes: number) => void;
}

export interface AddedEvidence {
  evidence: Evidence;
  report: IngestReport | null;
}

/**
 * Adds one evidence file to an incident or drill: stored content-addressed with its SHA-256, parsed into normalized
 * events, recorded with its chain of custody. All or nothing: the file, its events, its custody and the audit entry
 * appear together when the load commits; a broken file, a failed parse or a crash leaves nothing stored and
 * changes nothing already stored. Throws NotFound, `evidence_empty`, `evidence_gzip_invalid`,
 * `evidence_format_unknown`, `evidence_encoding_invalid`, `evidence_csv_missing_column`,
 * `evidence_time_zone_invalid`, `evidence_filename_invalid`, Conflict `evidence_duplicate`.
 */
export async function addEvidence(ctx: ServiceContext, store: EvidenceStore, targetId: string, input: AddEvidenceInput): Promise<AddedEvidence> {
  const incident = await resolveCase(ctx, targetId);
  const filename = basename(input.filename.replace(/\\/g, '/')).trim();
  if (!filename || filename === '.' || filename === '..' || filename.length > 255) throw new ValidationError('evidence_filename_invalid', `Not a usable file name: ${input.filename.slice(0, 100)}`, { filename: input.filename.slice(0, 100) });
  const evidenceId = randomUUID();
  const collectedAt = input.collectedAt ? new Date(input.collectedAt) : ctx.clock.now();
  const timeZone = input.timeZone ?? 'Asia/Shanghai';
  const parser = (input.parser ?? 'auto') as ParserName | 'auto' | 'none';
  const prepare = (sink?: CopySink) =>
    prepareEvidence(store, input.source, {
      incidentId: incident.id,
      evidenceId,
      parser,
      encoding: input.encoding ?? 'auto',
      timeZone,
      collectedAt: collectedAt.getTime(),
      csvColumns: input.csvColumns,
      onProgress: input.onProgress,
      sink,
    });

  /** The evidence row, its custody and the audit entry, inside the loading transaction. */
  const record = async (tx: Db, prepared: PreparedEvidence) => {
    const [duplicate] = await tx
      .select({ id: evidenceFiles.id, filename: evidenceFiles.filename })
      .from(evidenceFiles)
      .where(and(eq(evidenceFiles.incidentId, incident.id), eq(evidenceFiles.sha256, prepared.original.sha256)));
    if (duplicate) throw new ConflictError('evidence_duplicate', `This file is already evidence ${duplicate.filename}`, { id: duplicate.id, filename: duplicate.filename });
    const now = ctx.clock.now();
    const [inserted] = await tx
      .insert(evidenceFiles)
      .values({
        id: evidenceId,
        incidentId: incident.id,
        filename,
        sha256: prepared.original.sha256,
        size: prepared.original.size,
        contentSha256: prepared.content.sha256,
        contentSize: prepared.content.size,
        gzip: prepared.gzip,
        mediaType: input.mediaType ?? (prepared.gzip ? 'application/gzip' : 'application/octet-stream'),
        collectedAt,
        collectedBy: actorName(ctx.actor),
        origin: input.origin ?? '',
        description: input.description ?? '',
        timeZone,
        parser: prepared.report?.parser ?? null,
        encoding: prepared.report?.encoding ?? null,
        status: prepared.report ? 'parsed' : 'stored',
        report: prepared.report,
        generated: input.generated ?? false,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(evidenceCustody).values([
      // Collected before it was stored (a date in the future would be a typing error or a drill's story time).
      { evidenceId, action: 'collected', actorLabel: actorName(ctx.actor), at: collectedAt < now ? collectedAt : now, detail: input.origin ?? '' },
      ...(prepared.report ? [{ evidenceId, action: 'parsed' as const, actorLabel: actorName(ctx.actor), at: now, detail: `${prepared.report.parser}: ${prepared.report.events} events` }] : []),
    ]);
    await appendAudit(tx, ctx, {
      action: 'evidence.add',
      entityType: 'evidence',
      entityId: evidenceId,
      after: { incidentId: incident.id, filename, sha256: prepared.original.sha256, size: prepared.original.size, parser: prepared.report?.parser ?? null, events: prepared.report?.events ?? 0 },
    });
    return { evidence: toEvidence(inserted, incident.isDrill), report: prepared.report };
  };

  if (isPostgres(ctx.db) && parser !== 'none') {
    // PostgreSQL: one pass — the rows stream into COPY while the file is parsed, in the transaction that commits it.
    return ctx.db.transaction(async (tx) => {
      const sink = new CopySink(tx);
      let prepared: PreparedEvidence;
      try {
        prepared = await prepare(sink);
      } catch (err) {
        await sink.remove();
        throw err;
      }
      return record(tx, prepared);
    });
  }
  // PGlite (one connection for the whole process): parse first with no transaction open, then load in one.
  const prepared = await prepare();
  try {
    return await ctx.db.transaction(async (tx) => {
      if (prepared.rows instanceof RowsFile && prepared.rows.rows > 0) await copyRowsFile(tx, prepared.rows.path);
      return record(tx, prepared);
    });
  } finally {
    await prepared.rows?.remove();
  }
}

/** The evidence of an incident or drill, newest first. */
export async function listEvidence(ctx: ServiceContext, targetId: string): Promise<Evidence[]> {
  const incident = await resolveCase(ctx, targetId);
  const rows = await ctx.db.select().from(evidenceFiles).where(eq(evidenceFiles.incidentId, incident.id)).orderBy(desc(evidenceFiles.createdAt));
  return rows.map((r) => toEvidence(r, incident.isDrill));
}

async function loadEvidence(ctx: Pick<ServiceContext, 'db'>, evidenceId: string): Promise<EvidenceRow> {
  const [row] = await ctx.db.select().from(evidenceFiles).where(eq(evidenceFiles.id, evidenceId));
  if (!row) throw new NotFoundError('evidence', evidenceId);
  return row;
}

/** Records an access to a piece of evidence in its chain of custody, audited, in one transaction. */
async function recordCustody(ctx: ServiceContext, evidenceIds: string[], action: CustodyAction, detail: string): Promise<void> {
  if (evidenceIds.length === 0) return;
  await ctx.db.transaction(async (tx) => {
    const at = ctx.clock.now();
    await tx.insert(evidenceCustody).values(evidenceIds.map((evidenceId) => ({ evidenceId, action, actorLabel: actorName(ctx.actor), at, detail })));
    await appendAudit(tx, ctx, { action: `evidence.${action}`, entityType: 'evidence', entityId: evidenceIds.length === 1 ? evidenceIds[0] : null, after: { evidenceIds, detail } });
  });
}

/** One piece of evidence with its whole chain of custody. Throws NotFound. */
export async function getEvidence(ctx: ServiceContext, evidenceId: string): Promise<EvidenceDetail> {
  const row = await loadEvidence(ctx, evidenceId);
  const incident = await getIncident(ctx, row.incidentId);
  const custody = await ctx.db
    .select()
    .from(evidenceCustody)
    .where(eq(evidenceCustody.evidenceId, evidenceId))
    // Collected, then parsed, when both carry the same moment (a file stored as it is collected).
    .orderBy(asc(evidenceCustody.at), asc(evidenceCustody.createdAt), sql`case ${evidenceCustody.action} when 'collected' then 0 when 'parsed' then 1 else 2 end`);
  return { ...toEvidence(row, incident.isDrill), custody: custody.map((c) => ({ action: c.action, actor: c.actorLabel, at: c.at.toISOString(), detail: c.detail })) };
}

/** The file as collected, for download; the access is recorded in the chain of custody. Throws NotFound. */
export async function downloadEvidence(ctx: ServiceContext, store: EvidenceStore, evidenceId: string) {
  const row = await loadEvidence(ctx, evidenceId);
  await recordCustody(ctx, [evidenceId], 'downloaded', row.filename);
  return { filename: row.filename, size: row.size, mediaType: row.mediaType, stream: store.read(row.sha256) };
}

/** The original line(s) of an event, read from the evidence file; the access is recorded. Throws NotFound. */
export async function getRawLine(ctx: ServiceContext, store: EvidenceStore, eventId: number) {
  const [event] = await ctx.db
    .select({ evidenceId: evidenceEvents.evidenceId, lineNo: evidenceEvents.lineNo, offset: evidenceEvents.rawOffset, length: evidenceEvents.rawLength })
    .from(evidenceEvents)
    .where(eq(evidenceEvents.id, eventId));
  if (!event) throw new NotFoundError('event', String(eventId));
  const row = await loadEvidence(ctx, event.evidenceId);
  const bytes = await store.readRange(row.contentSha256, event.offset, Math.min(event.length, 1 << 20));
  await recordCustody(ctx, [row.id], 'viewed', `line ${event.lineNo}`);
  return {
    eventId,
    evidenceId: row.id,
    filename: row.filename,
    sha256: row.sha256,
    lineNo: event.lineNo,
    offset: event.offset,
    length: event.length,
    encoding: row.encoding,
    /** The bytes as text (UTF-8, or the file's Chinese encoding), and as base64 to verify them exactly. */
    text: decodeLine(bytes, row.encoding),
    base64: bytes.toString('base64'),
  };
}

function decodeLine(bytes: Buffer, encoding: string | null): string {
  if (encoding === 'gbk' || encoding === 'gb18030') return new TextDecoder('gb18030').decode(bytes);
  return bytes.toString('utf8');
}

/** What an evidence bundle holds: every file of the incident or drill under a unique, safe name in `files/`. */
async function bundleFiles(ctx: ServiceContext, targetId: string) {
  const incident = await resolveCase(ctx, targetId);
  const rows = await ctx.db.select().from(evidenceFiles).where(eq(evidenceFiles.incidentId, incident.id)).orderBy(asc(evidenceFiles.createdAt));
  const used = new Set<string>();
  const files = rows.map((row) => {
    let name = row.filename.replace(/[^\p{L}\p{N}._-]/gu, '_');
    if (used.has(name)) name = `${row.id.slice(0, 8)}-${name}`;
    used.add(name);
    return { row, path: `files/${name}` };
  });
  return { incident, files };
}

/**
 * Records the export in each file's chain of custody, then writes what a third party checks the files against:
 * SHA256SUMS for `sha256sum -c` and manifest.json with every file's custody (this export included).
 */
async function bundleManifests(ctx: ServiceContext, bundle: Awaited<ReturnType<typeof bundleFiles>>, destination: string) {
  await recordCustody(ctx, bundle.files.map((f) => f.row.id), 'exported', destination);
  const files: { evidence: EvidenceDetail; path: string }[] = [];
  for (const f of bundle.files) files.push({ evidence: await getEvidence(ctx, f.row.id), path: f.path });
  const sums = files.map((f) => `${f.evidence.sha256}  ${f.path}\n`).join('');
  const manifest = {
    incident: { id: bundle.incident.id, title: bundle.incident.title, exercise: bundle.incident.isDrill },
    exportedAt: ctx.clock.now().toISOString(),
    exportedBy: actorLabel(ctx.actor),
    files: files.map((f) => ({ path: f.path, ...f.evidence })),
  };
  return { sums, manifest: `${JSON.stringify(manifest, null, 2)}\n` };
}

/**
 * Writes the evidence of an incident or drill to a folder a third party can check: each file as collected, a
 * SHA256SUMS manifest that `sha256sum -c SHA256SUMS` verifies, and manifest.json with every file's custody.
 * Each export is recorded in the files' chain of custody. Throws NotFound.
 */
export async function exportEvidence(ctx: ServiceContext, store: EvidenceStore & { pathOf(sha256: string): string }, targetId: string, outDir: string) {
  const bundle = await bundleFiles(ctx, targetId);
  mkdirSync(join(outDir, 'files'), { recursive: true });
  for (const f of bundle.files) await copyFile(store.pathOf(f.row.sha256), join(outDir, f.path));
  const { sums, manifest } = await bundleManifests(ctx, bundle, outDir);
  await writeFile(join(outDir, 'SHA256SUMS'), sums);
  await writeFile(join(outDir, 'manifest.json'), manifest);
  return { files: bundle.files.length, outDir };
}

/**
 * The same bundle as one ZIP, streamed as it is read from the store (files/, SHA256SUMS, manifest.json): unzip,
 * then `sha256sum -c SHA256SUMS`. The export is recorded in the files' custody when it starts. Throws NotFound.
 */
export async function exportEvidenceZip(ctx: ServiceContext, store: EvidenceStore, targetId: string): Promise<{ filename: string; stream: Readable }> {
  const bundle = await bundleFiles(ctx, targetId);
  const { sums, manifest } = await bundleManifests(ctx, bundle, 'download (zip)');
  const zip = new ZipFile();
  // Gzip files are already compressed; deflating them again only costs time.
  for (const f of bundle.files) zip.addReadStream(store.read(f.row.sha256), f.path, { size: f.row.size, compress: !f.row.gzip });
  zip.addBuffer(Buffer.from(sums), 'SHA256SUMS');
  zip.addBuffer(Buffer.from(manifest), 'manifest.json');
  zip.end();
  return { filename: `evidence-${bundle.incident.id.slice(0, 8)}.zip`, stream: zip.outputStream as Readable };
}

/** The evidence rows with the given ids (for findings and scoring). */
export async function evidenceByIds(ctx: Pick<ServiceContext, 'db'>, ids: string[]) {
  if (ids.length === 0) return [];
  return ctx.db.select().from(evidenceFiles).where(inArray(evidenceFiles.id, ids));
}
