import type { TicketDetail } from '../api/types.js';

/**
 * Category and sub-codes the console can suggest. No API lists the taxonomy (categories.yaml),
 * so the suggestions are what this ticket carries: its own labels and every category and
 * sub-code its classification evidence names. The server checks any code typed in and
 * answers with the valid sub-codes when one is wrong.
 */
export function categoryOptions(ticket: TicketDetail): { categories: string[]; subcategories: (category: string) => string[] } {
  const pairs: Array<[string, string | null]> = [];
  if (ticket.category) pairs.push([ticket.category, ticket.subcategory]);
  const u = ticket.understanding;
  if (u?.category) pairs.push([u.category, u.subcategory ?? null]);
  for (const e of u?.evidence ?? []) if (e.category) pairs.push([e.category, e.subcategory ?? null]);
  const categories = [...new Set(pairs.map(([c]) => c))].sort();
  return {
    categories,
    subcategories: (category) => [...new Set(pairs.filter(([c, s]) => c === category && s).map(([, s]) => s!))].sort(),
  };
}
