import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { AttachmentFiles, AttachmentRefused, defaultAttachmentDir } from '../../../storage/attachment-files.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG_START = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

async function refusal(p: Promise<unknown>): Promise<AttachmentRefused> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'refused').to.be.instanceOf(AttachmentRefused);
  return err as AttachmentRefused;
}

async function read(files: AttachmentFiles, ref: string): Promise<Buffer | undefined> {
  const f = await files.open(ref);
  if (!f) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of f.stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('AttachmentFiles (inbound attachments on disk)', () => {
  let dir: string;
  let files: AttachmentFiles;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'attachments-'));
    files = new AttachmentFiles({ dir, maxBytes: 1024 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a photo, returns its ref and gives the same bytes back; the same photo twice is one file', async () => {
    const a = await files.put('kettle.png', 'image/png', PNG);
    const b = await files.put('again.png', 'image/png', PNG);
    expect(a).to.deep.equal({ ref: b.ref, contentType: 'image/png', size: PNG.length });
    expect(a.ref).to.match(/^attachment:sha256:[0-9a-f]{64}$/);
    expect((await read(files, a.ref))!.equals(PNG)).to.equal(true);
    const shards = readdirSync(dir);
    expect(shards).to.have.length(1);
    expect(readdirSync(path.join(dir, shards[0]!))).to.have.length(1);
  });

  it('reads the type from the bytes: a JPEG sent as application/octet-stream is kept as image/jpeg', async () => {
    expect((await files.put('photo', 'application/octet-stream', JPEG_START)).contentType).to.equal('image/jpeg');
  });

  it('refuses a program whatever it is called, bytes that are not what they claim, and anything over the limit', async () => {
    const exe = await refusal(files.put('receipt.jpg', 'image/jpeg', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)])));
    expect(exe.reason).to.equal('type-not-allowed');
    expect(exe.message).to.match(/receipt\.jpg.*not an allowed attachment type/);
    expect((await refusal(files.put('photo.png', 'image/png', Buffer.from('not a picture at all')))).reason).to.equal('type-not-allowed');
    const big = await refusal(files.put('big.png', 'image/png', Buffer.concat([PNG, Buffer.alloc(1024)])));
    expect(big.reason).to.equal('too-large');
    expect(big.message).to.match(/1,024/);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('takes plain text and CSV on the sender’s word unless the bytes are binary', async () => {
    expect((await files.put('order.csv', 'text/csv; charset=utf-8', Buffer.from('order,amount\nDD1,35\n'))).contentType).to.equal('text/csv');
    expect((await refusal(files.put('notes.txt', 'text/plain', Buffer.from([0x41, 0x00, 0x42])))).reason).to.equal('type-not-allowed');
  });

  it('keeps only the configured types when given a list', async () => {
    const onlyPdf = new AttachmentFiles({ dir, maxBytes: 1024, allowedTypes: ['application/pdf'] });
    expect((await refusal(onlyPdf.put('kettle.png', 'image/png', PNG))).reason).to.equal('type-not-allowed');
  });

  it('opens nothing but its own refs', async () => {
    await files.put('kettle.png', 'image/png', PNG);
    for (const ref of [
      'attachment:sha256:../../etc/passwd',
      `attachment:sha256:${'0'.repeat(64)}`,
      'https://example.com/x.png',
      'data:image/png;base64,AAAA',
    ]) {
      expect(await files.open(ref), ref).to.equal(undefined);
    }
  });

  it('lives beside the SQLite file by default', () => {
    expect(defaultAttachmentDir('sqlite:/srv/gw/gateway.sqlite')).to.equal('/srv/gw/attachments');
    expect(defaultAttachmentDir('postgres://gw@db/gw')).to.equal(path.join('data', 'attachments'));
  });
});
