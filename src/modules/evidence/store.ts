import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where evidence files live: content-addressed by SHA-256, so a file is stored once however often it is uploaded,
 * and its name proves its content. One small interface, so S3-compatible storage can replace the folder later.
 */
export interface EvidenceStore {
  /** A local path for a work file (parsed rows waiting to be loaded); cleaned up after a crash. */
  workPath(suffix: string): string;
  /** Starts writing a new blob; nothing is visible under its hash until `commit`. */
  create(): Promise<BlobWriter>;
  /** The bytes [start, end) of a stored blob (end exclusive; whole blob by default). */
  read(sha256: string, start?: number, end?: number): Readable;
  /** `length` bytes at `offset` of a stored blob (for showing one raw line). */
  readRange(sha256: string, offset: number, length: number): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
}

/** A blob being written: hashed while it is written; committed under its hash, or discarded. */
export interface BlobWriter {
  write(chunk: Buffer): Promise<void>;
  /** Flushes to disk and moves the blob under its hash (atomically). */
  commit(): Promise<{ sha256: string; size: number }>;
  /** Drops what was written (a failed upload leaves nothing behind). */
  discard(): Promise<void>;
}

const HEX64 = /^[0-9a-f]{64}$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Content-addressed files under `<dataDir>/evidence/sha256/ab/cd/<hash>`, written through a temp folder. */
export class FolderEvidenceStore implements EvidenceStore {
  private readonly root: string;
  /** Work files of uploads in progress, named `<pid>-…` after the process writing them. */
  readonly tmp: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'evidence', 'sha256');
    this.tmp = join(dataDir, 'evidence', 'tmp');
    mkdirSync(this.root, { recursive: true });
    mkdirSync(this.tmp, { recursive: true });
    // Leftovers of uploads a crash interrupted (their process is gone): never committed, never referenced.
    // Another live process sharing the folder (serve --workers) keeps its own.
    for (const name of readdirSync(this.tmp)) {
      const pid = Number(name.split('-')[0]);
      if (!Number.isInteger(pid) || pid === process.pid || !alive(pid)) rmSync(join(this.tmp, name), { force: true });
    }
  }

  /** A path for a work file of this process, removed at the next start if this process dies first. */
  workPath(suffix: string): string {
    return join(this.tmp, `${process.pid}-${randomUUID()}${suffix}`);
  }

  pathOf(sha256: string): string {
    if (!HEX64.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async create(): Promise<BlobWriter> {
    const tmpPath = this.workPath('.part');
    const file = await open(tmpPath, 'wx');
    return new FolderBlobWriter(this, file, tmpPath, createHash('sha256'));
  }

  read(sha256: string, start = 0, end?: number): Readable {
    return createReadStream(this.pathOf(sha256), { start, ...(end !== undefined ? { end: end - 1 } : {}), highWaterMark: 1 << 20 });
  }

  async readRange(sha256: string, offset: number, length: number): Promise<Buffer> {
    const file = await open(this.pathOf(sha256), 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  /** @internal */
  async place(tmpPath: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256);
    await mkdir(join(target, '..'), { recursive: true });
    // Same content, same name: an existing blob is already right, and rename replaces it atomically anyway.
    await rename(tmpPath, target);
  }
}

class FolderBlobWriter implements BlobWriter {
  private size = 0;
  private done = false;

  constructor(
    private readonly store: FolderEvidenceStore,
    private readonly file: FileHandle,
    private readonly tmpPath: string,
    private readonly hash: Hash,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.size += chunk.length;
    let written = 0;
    while (written < chunk.length) written += (await this.file.write(chunk, written, chunk.length - written)).bytesWritten;
  }

  async commit(): Promise<{ sha256: string; size: number }> {
    this.done = true;
    await this.file.sync();
    await this.file.close();
    const sha256 = this.hash.digest('hex');
    await this.store.place(this.tmpPath, sha256);
    return { sha256, size: this.size };
  }

  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.file.close().catch(() => {});
    await unlink(this.tmpPath).catch(() => {});
  }
}
