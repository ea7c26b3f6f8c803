import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { canWorkTickets } from '../api/roles.js';
import { subscribeToTickets } from '../api/live-updates.js';
import type { Me, TicketDetail } from '../api/types.js';
import { ClassificationPanel } from '../components/classification-panel.js';
import { Composer, type ComposerHandle } from '../components/composer.js';
import { CustomerPanel } from '../components/customer-panel.js';
import { ErrorMessage } from '../components/error-message.js';
import { PresenceBar } from '../components/presence-bar.js';
import { TicketHeader } from '../components/ticket-header.js';
import { TicketProperties } from '../components/ticket-properties.js';
import { TicketTimeline } from '../components/ticket-timeline.js';
import { useAction } from '../hooks/use-action.js';
import { useNow } from '../hooks/use-now.js';
import { usePresence } from '../hooks/use-presence.js';
import { dateTime } from '../format/time.js';
import { actorName } from '../ticket/timeline-entries.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/language.js';
import { useShortcuts } from '../keyboard/shortcuts.js';
import { navigate } from '../routing/hash-route.js';
import { inboxNeighbour } from '../state/inbox-order.js';
import { withRevealed } from '../ticket/revealed.js';

/** While a reply is still queued, look again this often (the outbox sends within a second or two)… */
const DELIVERY_POLL_MS = 1_500;
/** …this many times at most; the stream brings later changes. */
const DELIVERY_POLLS = 6;

/**
 * One ticket: header and SLA clocks, the cross-channel timeline, the composer, and beside them
 * the properties, classification and customer. Changes by anyone (the stream) reload it, so a
 * reply someone else sent shows up before this agent sends theirs.
 */
export function TicketPage({ id, me }: { id: string; me: Me }) {
  const { t, lang } = useT();
  const ticket = useResource(() => api.get<TicketDetail>(`/api/v1/tickets/${encodeURIComponent(id)}`), id);
  const composer = useRef<ComposerHandle | undefined>(undefined);
  const now = useNow();
  const polls = useRef(0);
  const presence = usePresence(ticket.data?.id, me.name, canWorkTickets(me));
  const presenceNow = useRef(presence);
  presenceNow.current = presence;
  // The answer of an audited reveal (POST …/reveal): shown over the masked ticket until the agent leaves it.
  const [revealed, setRevealed] = useState<TicketDetail | undefined>(undefined);
  useEffect(() => setRevealed(undefined), [id]);
  const reveal = async () => {
    setRevealed(await api.post<TicketDetail>(`/api/v1/tickets/${encodeURIComponent(String(ticket.data?.id ?? id))}/reveal`, {}));
  };

  useEffect(
    () =>
      subscribeToTickets({
        change: (_kind, change) => {
          if (String(change.id) === id || change.number === id) void ticket.reload();
        },
        presence: (ticketId, people) => presenceNow.current.heard(ticketId, people),
        reconnected: () => {
          void ticket.reload();
          presenceNow.current.announce();
        },
      }),
    [id],
  );

  // A reply someone else sent while this page was open: said before this agent sends theirs.
  const repliesSeen = useRef<{ ticket?: number; ids: Set<number> }>({ ids: new Set() });
  const [replyByOther, setReplyByOther] = useState<{ name: string; at: string } | undefined>(undefined);
  useEffect(() => {
    const data = ticket.data;
    if (!data) return;
    const seen = repliesSeen.current;
    const replies = data.messages.filter((m) => m.direction === 'out' && m.author === 'agent');
    if (seen.ticket !== data.id) {
      repliesSeen.current = { ticket: data.id, ids: new Set(replies.map((m) => m.id)) };
      setReplyByOther(undefined);
      return;
    }
    for (const m of replies) {
      if (seen.ids.has(m.id)) continue;
      seen.ids.add(m.id);
      const author = actorName(m.authorId);
      // Named as the page shows them (their display name while they are on the ticket).
      if (author !== me.name) setReplyByOther({ name: presenceNow.current.others.find((p) => p.name === author)?.displayName ?? author, at: m.createdAt });
    }
  }, [ticket.data]);

  // Delivery status: queued → sent (or failed, with the reason) without a manual reload.
  const queued = ticket.data?.messages.some((m) => m.direction === 'out' && m.deliveryStatus === 'queued');
  useEffect(() => {
    if (!queued || polls.current >= DELIVERY_POLLS) return;
    const timer = setTimeout(() => {
      polls.current++;
      void ticket.reload();
    }, DELIVERY_POLL_MS);
    return () => clearTimeout(timer);
  }, [queued, ticket.data]);

  const afterChange = () => {
    polls.current = 0;
    void ticket.reload();
  };
  const assignToMe = useAction(async () => {
    await api.patch(`/api/v1/tickets/${ticket.data?.id ?? id}`, { assignee: me.name });
    afterChange();
    return t('saved');
  });

  const numericId = ticket.data?.id;
  const goNeighbour = (step: 1 | -1) => {
    const next = numericId !== undefined ? inboxNeighbour(numericId, step) : undefined;
    if (next !== undefined) navigate(`/tickets/${next}`);
  };
  useShortcuts({
    j: () => goNeighbour(1),
    k: () => goNeighbour(-1),
    r: () => composer.current?.focus('reply'),
    n: () => composer.current?.focus('note'),
    a: () => canWorkTickets(me) && void assignToMe.run(),
    u: () => navigate('/inbox'),
  });

  const previous = numericId !== undefined ? inboxNeighbour(numericId, -1) : undefined;
  const next = numericId !== undefined ? inboxNeighbour(numericId, 1) : undefined;
  const nav = (
    <nav class="ticket-nav" aria-label={t('ticketTitle', { number: ticket.data?.number ?? id })}>
      <a href="#/inbox" aria-keyshortcuts="u">
        ← {t('backToInbox')}
      </a>
      {previous !== undefined && (
        <a href={`#/tickets/${previous}`} aria-keyshortcuts="k">
          {t('previousTicket')}
        </a>
      )}
      {next !== undefined && (
        <a href={`#/tickets/${next}`} aria-keyshortcuts="j">
          {t('nextTicket')}
        </a>
      )}
    </nav>
  );

  if (!ticket.data) {
    const missing = ticket.error instanceof ApiError && ticket.error.status === 404;
    return (
      <div class="ticket-page">
        {nav}
        {missing ? (
          <p class="error" role="alert">
            {t('notFoundTicket', { id })}
          </p>
        ) : (
          <ErrorMessage error={ticket.error} />
        )}
        {ticket.loading && (
          <p class="loading" role="status">
            {t('loading')}
          </p>
        )}
      </div>
    );
  }

  const data = withRevealed(ticket.data, revealed);
  const writer = canWorkTickets(me);
  return (
    <div class="ticket-page">
      <TicketHeader ticket={data} now={now} nav={nav} />
      <ErrorMessage error={ticket.error} />
      <div class="ticket-layout">
        <div class="ticket-story">
          <TicketTimeline ticket={data} />
          <PresenceBar others={presence.others} />
          {replyByOther && writer && (
            <div class="notice reply-by-other" role="alert">
              <span>{t('replyByOther', { name: replyByOther.name, time: dateTime(replyByOther.at, lang) })}</span>
              <button type="button" class="link-button" onClick={() => setReplyByOther(undefined)}>
                {t('dismiss')}
              </button>
            </div>
          )}
          {writer ? <Composer ticket={data} handle={composer} onSent={afterChange} onTyping={presence.typing} /> : <p class="notice">{t('readOnly')}</p>}
        </div>
        <div class="ticket-side">
          {writer && <TicketProperties ticket={data} assignToMe={assignToMe} onSaved={afterChange} />}
          <ClassificationPanel ticket={data} />
          <CustomerPanel ticket={data} canChange={writer} onChanged={afterChange} reveal={reveal} revealed={revealed !== undefined} />
        </div>
      </div>
    </div>
  );
}
