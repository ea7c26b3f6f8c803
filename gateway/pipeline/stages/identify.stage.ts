import { boundForAnalysis } from '../../../nlp/analysis-bounds.js';
import { CustomerStore, type Identity } from '../../../storage/customer.store.js';
import { mergeCustomers } from '../../customer-merge.js';
import { identityOf, isEmail, normalizePhone } from '../../identity.js';
import type { Stage } from '../context.js';

const BARE_CODE = /(?<![A-Za-z0-9])[A-Za-z]{0,4}\d{6,20}(?![A-Za-z0-9])/g;

/** Contact details and order numbers a message carries: written in the text or given in a pre-chat form. */
export type EvidenceExtractor = (text: string) => { emails: string[]; phones: string[]; orderNumbers: string[] };

/**
 * Finds the customer: by the sender's identity on this channel, and by evidence in the
 * message that links identities — an e-mail address or phone number the customer writes,
 * an order number. Evidence owned by another customer merges the two (the younger into
 * the older; recorded and undoable). Unowned evidence becomes the customer's identity.
 */
export function identifyStage(extract: EvidenceExtractor = () => ({ emails: [], phones: [], orderNumbers: [] }), customers = new CustomerStore()): Stage {
  return {
    name: 'identify',
    async run(ctx, next) {
      const { channel, from, meta, subject, text } = ctx.message;
      const primary = identityOf(channel, from.address);
      // Evidence is looked for where the NLP stages look: the bounded head of the text.
      const written = boundForAnalysis(`${subject ?? ''}\n${text}`);
      const found = extract(written);
      const contact = (meta.contact ?? {}) as { email?: unknown; phone?: unknown };
      const orders = [...found.orderNumbers, ...(typeof meta.orderNumber === 'string' && meta.orderNumber ? [meta.orderNumber] : [])].map((o) =>
        o.toUpperCase(),
      );
      // A bare code ("still waiting for DD20261124001") counts when it is an order number we already know.
      const bare = [...new Set((written.match(BARE_CODE) ?? []).map((c) => c.toUpperCase()))].filter((c) => !orders.includes(c)).slice(0, 20);
      if (bare.length > 0) {
        const known = await ctx.trx('customer_identities').where('kind', 'order').whereIn('value', bare).select('value');
        orders.push(...known.map((k) => String(k.value)));
      }
      ctx.orderNumbers = [...new Set(orders)];

      const evidence: Array<Identity & { why: string }> = [];
      for (const e of [...found.emails, ...(typeof contact.email === 'string' ? [contact.email] : [])]) {
        if (isEmail(e)) evidence.push({ kind: 'email', value: e.toLowerCase(), why: `e-mail address ${e} given in the message` });
      }
      for (const p of [...found.phones, ...(typeof contact.phone === 'string' ? [contact.phone] : [])]) {
        const phone = normalizePhone(p);
        if (phone) evidence.push({ kind: 'phone', value: phone, why: `phone number given in the message` });
      }
      for (const o of ctx.orderNumbers) evidence.push({ kind: 'order', value: o, why: `same order number ${o}` });
      const linked = evidence.filter((e) => !(e.kind === primary.kind && e.value === primary.value));

      // A new sender gets its own customer first, so linking it to a known one is a merge
      // like any other: recorded, and undoable if the evidence was wrong.
      const known = await customers.findByIdentities(ctx.trx, [primary]);
      let customerId = known ?? (await customers.create(ctx.trx, { displayName: from.name, language: ctx.language, identities: [primary] }, ctx.now));
      let merged = false;
      const owners = await customers.ownersOf(ctx.trx, linked);
      for (const { identity, customerId: found } of owners) {
        const owner = await customers.resolveMerged(ctx.trx, found);
        if (owner === customerId) continue;
        const why = linked.find((e) => e.kind === identity.kind && e.value === identity.value)!.why;
        ({ targetId: customerId } = await mergeCustomers(ctx.trx, customerId, owner, 'pipeline', why, ctx.now));
        merged = true;
        ctx.log.info({ mergedWith: owner, into: customerId, evidence: identity.kind }, 'customers merged on evidence in a message');
      }
      // The primary identity is already the customer's (found by it, created with it, or moved by the merge).
      await customers.addIdentities(
        ctx.trx,
        customerId,
        linked.map(({ kind, value }) => ({ kind, value })),
        ctx.now,
      );
      // A brand-new customer has no tickets yet: later stages skip their lookups.
      ctx.customerIsNew = known === undefined && !merged;
      ctx.identities = [primary, ...linked];
      ctx.customerId = customerId;
      await next();
    },
  };
}
