import type { CategoryInfo, TicketDetail } from '../api/types.js';

export interface CodeOption {
  code: string;
  /** The name in the console's language, when the taxonomy is known. */
  label?: string;
}

/**
 * Category and sub-codes the picker suggests: the whole taxonomy of the active categories.yaml
 * (GET /api/v1/categories) with names in the console's language; until it has loaded (or for a
 * code the config no longer has), what this ticket carries: its own labels and every code its
 * classification evidence names. The server checks any code typed in and answers with the
 * valid sub-codes when one is wrong.
 */
export function categoryOptions(
  ticket: TicketDetail,
  taxonomy: CategoryInfo[] | undefined,
  lang: 'zh' | 'en',
): { categories: CodeOption[]; subcategories: (category: string) => CodeOption[] } {
  const pairs: Array<[string, string | null]> = [];
  if (ticket.category) pairs.push([ticket.category, ticket.subcategory]);
  const u = ticket.understanding;
  if (u?.category) pairs.push([u.category, u.subcategory ?? null]);
  for (const e of u?.evidence ?? []) if (e.category) pairs.push([e.category, e.subcategory ?? null]);
  const known = new Map((taxonomy ?? []).map((c) => [c.code, c]));
  const categories: CodeOption[] = (taxonomy ?? []).map((c) => ({ code: c.code, label: c.name[lang] }));
  for (const code of [...new Set(pairs.map(([c]) => c))].sort()) if (!known.has(code)) categories.push({ code });
  return {
    categories,
    subcategories: (category) => {
      const listed: CodeOption[] = (known.get(category)?.subcategories ?? []).map((s) => ({ code: s.code, label: s.name[lang] }));
      const seen = new Set(listed.map((s) => s.code));
      const carried = [...new Set(pairs.filter(([c, s]) => c === category && s && !seen.has(s)).map(([, s]) => s!))].sort();
      return [...listed, ...carried.map((code) => ({ code }))];
    },
  };
}
