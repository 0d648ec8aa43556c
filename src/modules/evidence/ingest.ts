import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ValidationError } from '../../errors.js';
import { RowsFile, type RowSink } from './event-loader.js';
import { createEventParser, type EventParser, type ParserName } from './parsers/index.js';
import type { IngestReport } from './schema.js';
import type { BlobWriter, EvidenceStore } from './store.js';

export interface PrepareOptions {
  incidentId: string;
  evidenceId: string;
  /** A parser name, `auto`, or `none` (store the file without parsing: screenshots, documents). */
  parser: ParserName | 'auto' | 'none';
  encoding: 'auto' | 'utf8' | 'gbk' | 'gb18030';
  timeZone: string;
  /** When the evidence was collected (ms): gives syslog lines without a year their year. */
  collectedAt: number;
  csvColumns?: Record<string, string>;
  /** Where the rows go; by default a work file of the store. */
  sink?: RowSink;
  /** Called as bytes arrive (upload progress). */
  onProgress?: (bytes: number) => void;
}

/** A file stored and parsed, waiting to be loaded in one transaction. */
export interface PreparedEvidence {
  original: { sha256: string; size: number };
  content: { sha256: string; size: number };
  gzip: boolean;
  report: IngestReport | null;
  /** The COPY rows of the events: a work file to load and remove, or the COPY already done. */
  rows: RowSink | null;
}

function yearIn(ms: number, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(new Date(ms)));
}

/** Throws `evidence_time_zone_invalid` unless `zone` is an IANA time zone this runtime knows. */
export function checkTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ValidationError('evidence_time_zone_invalid', `Unknown time zone ${zone}`, { timeZone: zone });
  }
}

/**
 * Phase one of adding evidence, with no database transaction open: streams the upload into the store (SHA-256
 * while streaming), gunzips a gzip upload into a second blob, parses the content and writes its events as COPY
 * rows to a work file. Throws (and leaves no blob or work file behind) when the gzip is truncated or broken or
 * the file cannot be parsed at all; lines that do not parse are only counted in the report.
 */
export async function prepareEvidence(store: EvidenceStore, input: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>, options: PrepareOptions): Promise<PreparedEvidence> {
  checkTimeZone(options.timeZone);
  const original = await store.create();
  let content: BlobWriter | null = null;
  let rows: RowSink | null = null;
  let parser: EventParser | null = null;
  if (options.parser !== 'none') {
    parser = createEventParser({
      parser: options.parser,
      encoding: options.encoding,
      timeZone: options.timeZone,
      year: yearIn(options.collectedAt, options.timeZone),
      referenceTime: options.collectedAt,
      csvColumns: options.csvColumns,
    });
    rows = options.sink ?? (await RowsFile.create(store.workPath('.copy')));
  }
  const consume = async (chunk: Buffer) => {
    if (content) await content.write(chunk);
    if (parser && rows) await rows.add(options.incidentId, options.evidenceId, parser.push(chunk));
  };
  let bytes = 0;
  let gzip = false;
  try {
    const source = Symbol.asyncIterator in input ? input : Readable.from(input);
    const iterator = (source as AsyncIterable<Buffer | Uint8Array>)[Symbol.asyncIterator]();
    let first = await iterator.next();
    while (!first.done && first.value.length === 0) first = await iterator.next();
    if (first.done) throw new ValidationError('evidence_empty', 'The evidence file is empty (0 bytes)');
    const head = Buffer.from(first.value);
    gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    // The upload as it comes: counted, hashed and stored, then passed on.
    async function* uploaded(): AsyncGenerator<Buffer> {
      let next: IteratorResult<Buffer | Uint8Array> = { done: false, value: head };
      while (!next.done) {
        const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
        bytes += chunk.length;
        options.onProgress?.(bytes);
        await original.write(chunk);
        yield chunk;
        next = await iterator.next();
      }
    }
    if (gzip) {
      content = await store.create();
      await pipeline(Readable.from(uploaded()), createGunzip({ chunkSize: 1 << 20 }), async (inflated: AsyncIterable<Buffer>) => {
        for await (const chunk of inflated) await consume(chunk);
      }).catch((err: NodeJS.ErrnoException) => {
        if (typeof err.code === 'string' && err.code.startsWith('Z_')) {
          throw new ValidationError('evidence_gzip_invalid', `The gzip file is damaged or cut short: ${err.message}`, { reason: err.message });
        }
        throw err;
      });
    } else {
      for await (const chunk of uploaded()) await consume(chunk);
    }
    if (parser && rows) {
      await rows.add(options.incidentId, options.evidenceId, parser.end());
      await rows.close();
    }
    const storedOriginal = await original.commit();
    const storedContent = content ? await content.commit() : storedOriginal;
    const report = parser ? { ...parser.report(), bytes: storedContent.size } : null;
    return { original: storedOriginal, content: storedContent, gzip, report, rows };
  } catch (err) {
    await original.discard();
    await content?.discard();
    await rows?.remove();
    throw err;
  }
}
