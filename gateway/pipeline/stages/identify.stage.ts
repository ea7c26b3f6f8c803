import { CustomerStore } from '../../../storage/customer.store.js';
import { identityOf } from '../../identity.js';
import type { Stage } from '../context.js';

/** Finds the customer by the sender's identity on this channel, or creates one. */
export function identifyStage(customers = new CustomerStore()): Stage {
  return {
    name: 'identify',
    async run(ctx, next) {
      const { channel, from } = ctx.message;
      ctx.identities = [identityOf(channel, from.address), ...ctx.identities];
      const existing = await customers.findByIdentities(ctx.trx, ctx.identities);
      if (existing !== undefined) {
        ctx.customerId = existing;
        await customers.addIdentities(ctx.trx, existing, ctx.identities, ctx.now);
      } else {
        ctx.customerId = await customers.create(ctx.trx, { displayName: from.name, language: ctx.language, identities: ctx.identities }, ctx.now);
      }
      await next();
    },
  };
}
