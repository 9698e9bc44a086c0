import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** A file as stored: the generated key it lives under and the SHA-256 of its bytes. */
export interface StoredFile {
  storageKey: string;
  sha256: string;
}

/** Where attachment bytes live; the database keeps only the key, so the store can later move to object storage. */
export interface AttachmentStore {
  /** Writes the bytes under a new random key and flushes them to disk before answering. */
  save(bytes: Buffer): Promise<StoredFile>;
  /** The bytes stored under a key. */
  read(storageKey: string): Promise<Buffer>;
  /** Removes a file whose database row never committed; a missing file is not an error. */
  remove(storageKey: string): Promise<void>;
}

/** 128 random bits as hex: the only name a file gets on disk (never the user's name; SECURITY.md "Uploads"). */
const keyPattern = /^[0-9a-f]{32}$/;

function pathOf(dir: string, storageKey: string): string {
  // Keys are ours, but a key read back from the database is still checked before it becomes a path.
  if (!keyPattern.test(storageKey)) throw new Error('invalid attachment storage key');
  return path.join(dir, storageKey);
}

/** Flushes a directory entry so a new file survives a crash (fsync of the file alone does not cover its name). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Files in one directory on the local disk. A save is durable before the row naming it commits (SECURITY.md
 * "Reliability": a 2xx write survives a crash); a crash between the two leaves an unnamed file, never a row without one.
 */
export function createFileAttachmentStore(dir: string): AttachmentStore {
  let ready: Promise<unknown> | undefined;
  return {
    async save(bytes) {
      ready ??= mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      await ready;
      const storageKey = randomBytes(16).toString('hex');
      const handle = await open(pathOf(dir, storageKey), 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await syncDirectory(dir);
      return { storageKey, sha256: createHash('sha256').update(bytes).digest('hex') };
    },
    read(storageKey) {
      return readFile(pathOf(dir, storageKey));
    },
    async remove(storageKey) {
      await rm(pathOf(dir, storageKey), { force: true });
    },
  };
}
