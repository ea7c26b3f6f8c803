/**
 * The tickets of the inbox as last shown, so j/k on a ticket page go to the next one in the
 * same order. Kept for the tab (sessionStorage), so a reload of a ticket page keeps it.
 */
const KEY = 'gw-console:inbox-order';

export function rememberInboxOrder(ids: number[]): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(ids));
  } catch {
    /* storage blocked: j/k on a ticket page will just do nothing */
  }
}

export function inboxNeighbour(id: number, step: 1 | -1): number | undefined {
  try {
    const ids = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as number[];
    const at = ids.indexOf(id);
    return at < 0 ? undefined : ids[at + step];
  } catch {
    return undefined;
  }
}
