import type { Me } from './types.js';

/** Who may change tickets (replies, notes, fields, merges): the API's writers; admin passes every role check. */
export function canWorkTickets(me: Me): boolean {
  return me.role === 'agent' || me.role === 'lead' || me.role === 'admin';
}

/** Who sees the lead pages in the menu (the API still decides: an agent who opens one gets its refusal). */
export function isLead(me: Me): boolean {
  return me.role === 'lead' || me.role === 'admin';
}
