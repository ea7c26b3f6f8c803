import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { PresentPerson } from '../api/types.js';

/** Matches the server's 45 s: three missed reports and the page counts as closed. */
const VIEWING_EVERY_MS = 15_000;
/** The server keeps "typing" 6 s; saying it every 2 s while keys are pressed keeps it steady. */
const TYPING_EVERY_MS = 2_000;

/**
 * This person's presence on a ticket (viewing while the page is open, typing while they write,
 * left when they go) and everyone else's. The page feeds `heard` from the live stream it already
 * follows (`ticket.presence`) and calls `announce` after the stream reconnects. Reporting is best
 * effort: a failed report is retried by the next one and never shown as an error.
 */
export function usePresence(
  ticketId: number | undefined,
  me: string,
  canType: boolean,
): { others: PresentPerson[]; typing: () => void; heard: (ticketId: number, people: PresentPerson[]) => void; announce: () => void } {
  const [people, setPeople] = useState<PresentPerson[]>([]);
  const lastTyping = useRef(0);
  const reportViewing = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (ticketId === undefined) return;
    let gone = false;
    const report = (state: 'viewing' | 'typing' | 'left') =>
      api.post<{ people: PresentPerson[] }>(`/api/v1/tickets/${ticketId}/presence`, { state }, { keepalive: state === 'left' }).then(
        (r) => !gone && setPeople(r.people),
        () => undefined,
      );
    reportViewing.current = () => void report('viewing');
    reportViewing.current();
    const timer = setInterval(reportViewing.current, VIEWING_EVERY_MS);
    const leave = () => void report('left');
    window.addEventListener('pagehide', leave);
    return () => {
      gone = true;
      clearInterval(timer);
      reportViewing.current = () => undefined;
      window.removeEventListener('pagehide', leave);
      leave();
      setPeople([]);
    };
  }, [ticketId]);

  const typing = () => {
    if (ticketId === undefined || !canType) return;
    const now = Date.now();
    if (now - lastTyping.current < TYPING_EVERY_MS) return;
    lastTyping.current = now;
    void api.post(`/api/v1/tickets/${ticketId}/presence`, { state: 'typing' }).catch(() => undefined);
  };

  return {
    others: people.filter((p) => p.name !== me),
    typing,
    heard: (id, list) => id === ticketId && setPeople(list),
    // After a stream drop the server may have forgotten this page: say so again.
    announce: () => reportViewing.current(),
  };
}
