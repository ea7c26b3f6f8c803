/**
 * The customer-loop benchmark's judged measure (bench/intake/customer-loop.bench.ts): the loop switched on and off
 * between neighbouring blocks of customers in one gateway (on, off, off, on, … on each fresh database), and each on
 * block compared with its off neighbour. Separate rounds on fresh databases measure the same thing, but on this VM
 * rounds of identical work spread by ±20 %, more than the loop's own cost; neighbouring blocks drift together.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { parseInboundMessage } from '../../gateway/intake/inbound-message.schema.js';
import { createTestDatabase, type TestDatabaseKind } from '../../test/support/databases.js';
import { cpuSince, cpuSnapshot, type CpuSnapshot } from './cpu-accounting.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface InterleavedOptions {
  db: TestDatabaseKind;
  /** Fresh databases, one after another. */
  databases: number;
  /** Counted blocks per database (a multiple of 4: on, off, off, on), after two warm-up blocks. */
  blocksPerDatabase: number;
  customersPerBlock: number;
  /** Complaint texts, used in turn. */
  texts: readonly string[];
  /** CPU ms of a snapshot difference (on PostgreSQL with the server's). */
  msOf: (cpu: CpuSnapshot) => number;
}

/** CPU ms per customer in one block, by step. */
export interface Block {
  /** The complaints drained and acknowledged (the loop changes nothing here but reading a reply as a rating). */
  pipeline: number;
  /** Each ticket opened and resolved by an agent, what that tells the customer told, every message sent. */
  changes: number;
}

/** Neighbouring blocks, the loop on in one and off in the other. */
export interface BlockPair {
  on: Block;
  off: Block;
}

/** Each pair of neighbouring blocks' CPU per customer for "a complaint handled" (pipeline + changes). */
export async function interleavedPairs(options: InterleavedOptions): Promise<BlockPair[]> {
  const pairs: BlockPair[] = [];
  let customer = 0;
  for (let d = 0; d < options.databases; d++) {
    const blocks = await blocksOnOneDatabase(options, customer);
    customer += (options.blocksPerDatabase + 2) * options.customersPerBlock;
    // Blocks 0 and 1 (on, off), 2 and 3 (off, on), …
    for (let i = 0; i + 1 < blocks.length; i += 2) {
      const [a, b] = [blocks[i]!, blocks[i + 1]!];
      pairs.push(a.on ? { on: a.block, off: b.block } : { on: b.block, off: a.block });
    }
  }
  return pairs;
}

async function blocksOnOneDatabase(options: InterleavedOptions, firstCustomer: number): Promise<Array<{ on: boolean; block: Block }>> {
  const { db, blocksPerDatabase, customersPerBlock: size, texts, msOf } = options;
  const database = await createTestDatabase(db);
  const config = loadConfig({
    dir: path.join(ROOT, 'config'),
    env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', GATEWAY_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef' },
  });
  config.env.PUBLIC_BASE_URL = 'https://support.example.test';
  config.gateway.customerUpdates.quietHours = null;
  const gw = await Gateway.create({ config, workers: false, adapters: [new FakeAdapter('sms')], watchConfig: false });
  const blocks: Array<{ on: boolean; block: Block }> = [];
  let customer = firstCustomer;
  try {
    // Two warm-up blocks (one per mode) are not counted.
    for (let index = -2; index < blocksPerDatabase; index++) {
      const on = index < 0 ? index === -2 : index % 4 === 0 || index % 4 === 3;
      config.gateway.customerUpdates.enabled = on;
      config.gateway.csat.enabled = on;
      const now = new Date();
      const rows = [];
      for (let i = 0; i < size; i++, customer++) {
        const phone = `+8613${String(600_000_000 + customer).slice(-9)}`;
        const parsed = parseInboundMessage(
          { channel: 'sms', externalId: `block-${customer}`, from: { address: phone }, text: texts[customer % texts.length]! },
          now,
        );
        if (!parsed.ok) throw new Error(parsed.problems.join('; '));
        rows.push({ channel: 'sms', externalId: parsed.message.externalId, receivedAt: now.getTime(), payload: parsed.message });
      }
      const before = Number((await gw.db('tickets').max({ id: 'id' }).first())?.id ?? 0);
      await gw.journal.appendMany(rows);
      const started = cpuSnapshot();
      await gw.pipeline.drain();
      while ((await gw.sender.processBatch()) > 0);
      const pipeline = msOf(cpuSince(started)) / size;
      const tickets = await gw.db('tickets').where('id', '>', before).whereIn('status', ['new', 'open']).select('id');
      for (const { id } of tickets) {
        await gw.service.patch(String(id), { status: 'open' }, 'li.lei');
        await gw.service.patch(String(id), { status: 'resolved' }, 'li.lei');
      }
      while ((await gw.customerUpdates.processBatch()) > 0);
      while ((await gw.sender.processBatch()) > 0);
      const changes = msOf(cpuSince(started)) / size - pipeline;
      if (index >= 0) blocks.push({ on, block: { pipeline, changes } });
    }
  } finally {
    await gw.stop();
    await database.drop();
  }
  return blocks;
}
