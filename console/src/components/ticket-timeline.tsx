import { useLayoutEffect, useRef } from 'preact/hooks';
import type { TicketDetail, TicketEvent, TicketMessage } from '../api/types.js';
import { dateTime } from '../format/time.js';
import { useT } from '../i18n/language.js';
import { actorName, timelineOf } from '../ticket/timeline-entries.js';

function Time({ at }: { at: string }) {
  const { lang } = useT();
  return <time dateTime={at}>{dateTime(at, lang)}</time>;
}

const FAILED = new Set(['failed', 'undelivered', 'undeliverable']);

function MessageCard({ message: m, failure }: { message: TicketMessage; failure?: string }) {
  const { t, term } = useT();
  const who = m.author === 'agent' && m.authorId ? `${term('author', m.author)} ${actorName(m.authorId)}` : term('author', m.author);
  return (
    <article class={`entry message message-${m.direction} author-${m.author}`} aria-label={`${who} · ${term('channel', m.channel)}`}>
      <header class="entry-head">
        <span class={`author author-${m.author}`}>{who}</span>
        <span class="channel-badge">{term('channel', m.channel)}</span>
        <span class="direction">
          <span aria-hidden="true">{m.direction === 'in' ? '↘ ' : '↗ '}</span>
          {m.direction === 'in' ? t('directionIn') : t('directionOut')}
        </span>
        {m.direction === 'in' && m.from && <span class="address">{t('fromAddress', { address: m.from })}</span>}
        {m.direction === 'out' && m.to && <span class="address">{t('toAddress', { address: m.to })}</span>}
        <Time at={m.createdAt} />
      </header>
      {m.subject && m.direction === 'in' && <p class="subject-line">{m.subject}</p>}
      <MessageText text={m.text} />
      {m.attachments.length > 0 && <AttachmentList attachments={m.attachments} />}
      {m.direction === 'out' && m.deliveryStatus && (
        <p class={`delivery ${FAILED.has(m.deliveryStatus) ? 'delivery-failed' : ''}`}>
          {t('delivery', { status: term('delivery', m.deliveryStatus) })}
          {failure && <span class="delivery-reason"> — {failure}</span>}
        </p>
      )}
    </article>
  );
}

const PREVIEWED = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

function size(bytes: number | null, lang: string): string {
  if (bytes === null) return '';
  const kb = bytes / 1024;
  const f = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  return kb < 1024 ? `${f.format(Math.max(kb, 0.1))} KB` : `${f.format(kb / 1024)} MB`;
}

/** Each attachment: a preview for photos, a download link for what the gateway keeps, a plain label otherwise. */
function AttachmentList({ attachments }: { attachments: TicketMessage['attachments'] }) {
  const { t, lang } = useT();
  return (
    <div class="attachments">
      <span>{t('attachments')}:</span>
      <ul>
        {attachments.map((a, i) => {
          const name = a.name || a.contentType || t('attachmentUnnamed');
          const details = [a.contentType, size(a.size, lang)].filter(Boolean).join(' · ');
          return (
            <li key={i} class="attachment">
              {a.url && a.contentType && PREVIEWED.has(a.contentType) && <img class="attachment-preview" src={`${a.url}?inline=1`} alt={name} loading="lazy" />}
              {a.url ? (
                <a href={a.url} download={a.name ?? undefined}>
                  {name}
                </a>
              ) : (
                <span>{name}</span>
              )}
              {details && <span class="attachment-details"> ({details})</span>}
              {!a.url && (
                <span class="attachment-details">
                  {' '}
                  — {a.providerRef ? t('attachmentAtProvider') : a.notKept === 'too-large' ? t('attachmentTooLarge') : t('attachmentNotKept')}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The words of a message or note; a role that sees no message text (finance) is told so instead. */
function MessageText({ text }: { text: string | null }) {
  const { t } = useT();
  return text === null ? <p class="text text-hidden">{t('textHidden')}</p> : <p class="text">{text}</p>;
}

function NoteCard({ author, text, at }: { author: string | null; text: string | null; at: string }) {
  const { t } = useT();
  return (
    <article class="entry note" aria-label={t('internalNote')}>
      <header class="entry-head">
        <span class="badge badge-internal">{t('internal')}</span>
        <span class="author">{actorName(author)}</span>
        <Time at={at} />
      </header>
      <MessageText text={text} />
    </article>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') return Array.isArray(value) ? value.map(show).join(', ') : JSON.stringify(value);
  return String(value);
}

function EventLine({ event: e }: { event: TicketEvent }) {
  const { t, term, terms, lang } = useT();
  const changed = /^(\w+)_changed$/.exec(e.type);
  let detail: string;
  const label = e.type in terms.event ? term('event', e.type) : changed ? t('fieldChanged', { field: term('field', changed[1]) }) : e.type;
  if (changed) {
    const field = changed[1]!;
    const before = (e.before as Record<string, unknown> | null)?.[field];
    const after = (e.after as Record<string, unknown> | null)?.[field];
    const name = (v: unknown) => {
      if (v === null || v === undefined) return '—';
      if (field === 'status') return term('status', v as string);
      if (field === 'priority') return term('priority', v as string);
      // Times are stored as epoch milliseconds.
      if (field.endsWith('At') && typeof v === 'number') return dateTime(new Date(v).toISOString(), lang);
      return show(v);
    };
    detail = t('changedFromTo', { field: term('field', field), before: name(before), after: name(after) });
  } else {
    const after = e.after && typeof e.after === 'object' ? (e.after as Record<string, unknown>) : {};
    detail = Object.entries(after)
      .filter(([k, v]) => v !== null && v !== undefined && k !== 'messageId')
      .map(([k, v]) => `${k}: ${show(v)}`)
      .join(' · ');
  }
  return (
    <div class="entry event">
      <span class="event-type">{label}</span>
      {e.actor && <span class="event-actor">{t('eventBy', { actor: actorName(e.actor) })}</span>}
      {detail && <span class="event-detail">{detail}</span>}
      <Time at={e.createdAt} />
    </div>
  );
}

/** The whole story across channels in time order: messages, internal notes (marked), and the audit trail. */
export function TicketTimeline({ ticket }: { ticket: TicketDetail }) {
  const { t } = useT();
  const entries = timelineOf(ticket);
  const scroller = useRef<HTMLDivElement>(null);
  const shown = useRef(0);
  // Open at the newest entry; follow new ones only when the agent is already reading the end.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 120;
    if (shown.current === 0 || (entries.length > shown.current && atEnd)) el.scrollTop = el.scrollHeight;
    shown.current = entries.length;
  }, [entries.length]);
  return (
    <section class="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('timeline')}</h2>
      {entries.length === 0 && <p class="empty">{t('timelineEmpty')}</p>}
      {/* Focusable so the keyboard can scroll it (it holds no links of its own). */}
      <div class="timeline-scroll" ref={scroller} tabIndex={0} role="group" aria-labelledby="timeline-title">
        <ol>
          {entries.map((entry, i) => (
            <li key={entry.kind === 'message' ? `m${entry.message.id}` : entry.kind === 'note' ? entry.id : `e${entry.event.id}-${i}`}>
              {entry.kind === 'message' ? (
                <MessageCard message={entry.message} failure={entry.failure} />
              ) : entry.kind === 'note' ? (
                <NoteCard author={entry.author} text={entry.text} at={entry.at} />
              ) : (
                <EventLine event={entry.event} />
              )}
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
