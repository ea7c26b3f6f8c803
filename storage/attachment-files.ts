import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';

/**
 * Inbound attachments as files on disk, named by the SHA-256 of their bytes (the same file sent
 * twice is stored once). Before a file is kept its size is checked, and its type is read from
 * its bytes, not from what the sender declared: a program renamed "photo.jpg" is refused.
 * A stored attachment's `ref` is `attachment:sha256:<hex>`; nothing else on disk is reachable.
 */

/** Types a complaint usually carries: photos, scans, PDFs, office documents, voice notes, short videos, plain text. */
export const DEFAULT_ATTACHMENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/heif',
  'image/bmp',
  'image/tiff',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/x-cfb',
  'audio/mpeg',
  'audio/wav',
  'audio/mp4',
  'audio/aac',
  'audio/amr',
  'audio/ogg',
  'video/mp4',
  'video/quicktime',
  'text/plain',
  'text/csv',
];

/** Types that carry no signature in their bytes: accepted on the sender's word when the bytes hold no NUL. */
const TEXT_TYPES = new Set(['text/plain', 'text/csv']);
const TEXT_CHECK_BYTES = 8192;
const REF_PATTERN = /^attachment:sha256:([0-9a-f]{64})$/;

export type AttachmentRefusal = 'too-large' | 'type-not-allowed';

export class AttachmentRefused extends Error {
  constructor(
    readonly reason: AttachmentRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentRefused';
  }
}

export interface StoredAttachment {
  ref: string;
  /** The type read from the bytes (or the declared text type); what downloads are served as. */
  contentType: string;
  size: number;
}

export interface AttachmentFilesOptions {
  dir: string;
  maxBytes: number;
  /** MIME types accepted; DEFAULT_ATTACHMENT_TYPES when not given. */
  allowedTypes?: readonly string[];
}

export class AttachmentFiles {
  private readonly allowed: Set<string>;

  constructor(private readonly options: AttachmentFilesOptions) {
    this.allowed = new Set((options.allowedTypes ?? DEFAULT_ATTACHMENT_TYPES).map((t) => t.toLowerCase()));
  }

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  /** Checks and keeps the bytes; throws AttachmentRefused (with a sentence for a person) when they may not be kept. */
  async put(name: string, declaredType: string, bytes: Buffer): Promise<StoredAttachment> {
    if (bytes.length > this.options.maxBytes) {
      throw new AttachmentRefused(
        'too-large',
        `"${name}" is ${bytes.length.toLocaleString('en')} bytes; attachments are kept up to ${this.options.maxBytes.toLocaleString('en')}`,
      );
    }
    const contentType = await this.typeOf(name, declaredType, bytes);
    const hex = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(hex);
    const existing = await stat(path).catch(() => undefined);
    if (!existing || existing.size !== bytes.length) {
      await mkdir(dirname(path), { recursive: true });
      // Written beside and renamed: a crash never leaves a half file under the final name.
      const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
      try {
        await writeFile(partial, bytes, { flag: 'wx' });
        await rename(partial, path);
      } catch (err) {
        await unlink(partial).catch(() => undefined);
        throw err;
      }
    }
    return { ref: `attachment:sha256:${hex}`, contentType, size: bytes.length };
  }

  /** The stored file behind a ref, or undefined when the ref is not one of ours or the file is gone. */
  async open(ref: string): Promise<{ stream: ReadStream; size: number } | undefined> {
    const m = REF_PATTERN.exec(ref);
    if (!m) return undefined;
    const path = this.pathOf(m[1]!);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return { stream: createReadStream(path), size: info.size };
  }

  /** Deletes the stored file behind a ref (an erasure or retention); false when it was not there. */
  async delete(ref: string): Promise<boolean> {
    const m = REF_PATTERN.exec(ref);
    if (!m) return false;
    try {
      await unlink(this.pathOf(m[1]!));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  static isStoredRef(ref: string): boolean {
    return REF_PATTERN.test(ref);
  }

  private async typeOf(name: string, declaredType: string, bytes: Buffer): Promise<string> {
    const declared = declaredType.split(';')[0]!.trim().toLowerCase();
    const sniffed = (await fileTypeFromBuffer(bytes))?.mime;
    if (sniffed) {
      if (this.allowed.has(sniffed)) return sniffed;
      throw new AttachmentRefused(
        'type-not-allowed',
        `"${name}" is ${sniffed}${declared && declared !== sniffed ? ` (sent as ${declared})` : ''}, which is not an allowed attachment type`,
      );
    }
    if (TEXT_TYPES.has(declared) && this.allowed.has(declared) && !bytes.subarray(0, TEXT_CHECK_BYTES).includes(0)) return declared;
    throw new AttachmentRefused('type-not-allowed', `"${name}" (sent as ${declared || 'no type'}) is not a recognised file of an allowed type`);
  }

  private pathOf(hex: string): string {
    return join(this.options.dir, hex.slice(0, 2), hex);
  }
}

/** `attachments/` beside the SQLite file (one place to back up), or ./data/attachments for PostgreSQL and in-memory SQLite. */
export function defaultAttachmentDir(databaseUrl: string): string {
  const file = /^sqlite:(.+)$/.exec(databaseUrl)?.[1];
  if (file && file !== ':memory:' && !file.startsWith('file::memory:')) return join(dirname(file), 'attachments');
  return join('data', 'attachments');
}
