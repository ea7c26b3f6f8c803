import { useEffect, useRef } from 'preact/hooks';

export type ShortcutMap = Partial<Record<string, (event: KeyboardEvent) => void>>;

/** Typing in a field is writing, not a command. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/**
 * Single-key shortcuts (j, k, r, n, a, ?) for the page while it is shown. The latest handlers
 * are read at key time, so callers may pass a fresh object on every render.
 */
export function useShortcuts(map: ShortcutMap, enabled = true): void {
  const latest = useRef(map);
  latest.current = map;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const handler = latest.current[event.key];
      if (!handler) return;
      event.preventDefault();
      handler(event);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** The shortcuts, for the help dialog (keys with the dictionary key of their description). */
export const SHORTCUT_LIST = [
  ['j', 'shortcutNext'],
  ['k', 'shortcutPrevious'],
  ['Enter', 'shortcutOpen'],
  ['r', 'shortcutReply'],
  ['n', 'shortcutNote'],
  ['a', 'shortcutAssign'],
  ['u', 'shortcutInbox'],
  ['?', 'shortcutHelp'],
] as const;
