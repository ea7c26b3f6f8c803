import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../api/client.js';
import type { CannedReply, ReplyResult, TicketDetail } from '../api/types.js';
import { useAction } from '../hooks/use-action.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/language.js';
import { describeError, Done, ErrorMessage } from './error-message.js';

export type ComposerMode = 'reply' | 'note';

export interface ComposerHandle {
  focus: (mode: ComposerMode) => void;
}

/** The channels the customer wrote on, newest first: a reply can go back on any of them. */
function customerChannels(ticket: TicketDetail): string[] {
  const seen: string[] = [];
  for (const m of [...ticket.messages].reverse()) if (m.direction === 'in' && !seen.includes(m.channel)) seen.push(m.channel);
  return seen;
}

/**
 * Reply to the customer (on their latest channel, or one they choose) or write an internal
 * note. A canned reply, rendered by the server for this ticket, is inserted where the cursor is.
 */
export function Composer({
  ticket,
  handle,
  onSent,
  onTyping,
}: {
  ticket: TicketDetail;
  handle: { current?: ComposerHandle };
  onSent: () => void;
  onTyping?: () => void;
}) {
  const { t, term } = useT();
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [text, setText] = useState('');
  const [channel, setChannel] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const channels = customerChannels(ticket);
  const latest = channels[0];
  // Without `lang` the server renders them in the ticket's language, the one the customer wrote in.
  const canned = useResource(() => api.get<{ items: CannedReply[] }>(`/api/v1/canned-replies${query({ ticket: ticket.id })}`), String(ticket.id));

  handle.current = {
    focus: (next) => {
      setMode(next);
      // After the label and colours change.
      setTimeout(() => box.current?.focus(), 0);
    },
  };

  const send = useAction(async () => {
    const body = text.trim();
    if (!body) throw new Error(t('textRequired'));
    if (mode === 'reply') {
      const r = await api.post<ReplyResult>(`/api/v1/tickets/${ticket.id}/replies`, { text: body, ...(channel ? { channel } : {}) });
      setText('');
      onSent();
      return t('replyQueued', { channel: term('channel', r.channel), to: r.to ?? '' });
    }
    await api.post(`/api/v1/tickets/${ticket.id}/notes`, { text: body });
    setText('');
    onSent();
    return t('noteAdded');
  });
  useEffect(() => send.clear(), [mode]);

  const insert = (snippet: string) => {
    const el = box.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    const next = text.slice(0, start) + snippet + text.slice(end);
    setText(next);
    setMode('reply');
    setTimeout(() => {
      el?.focus();
      el?.setSelectionRange(start + snippet.length, start + snippet.length);
    }, 0);
  };

  const sendOn = channel || latest;
  const label = mode === 'reply' ? t('replyLabel', { channel: term('channel', sendOn ?? '') }) : t('noteLabel');
  return (
    <section class={`panel composer composer-${mode}`} aria-labelledby="composer-title">
      <h2 id="composer-title" class="visually-hidden">
        {t('composer')}
      </h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send.run();
        }}
      >
        <div class="composer-top">
          <div class="composer-modes" role="group" aria-label={t('composer')}>
            <button type="button" aria-pressed={mode === 'reply'} onClick={() => handle.current?.focus('reply')} aria-keyshortcuts="r">
              {t('modeReply')}
            </button>
            <button type="button" aria-pressed={mode === 'note'} onClick={() => handle.current?.focus('note')} aria-keyshortcuts="n">
              {t('modeNote')}
            </button>
          </div>
          {mode === 'reply' && (
            <div class="composer-options">
              {channels.length > 1 && (
                <div class="filter">
                  <label for="reply-channel">{t('replyChannel')}</label>
                  <select id="reply-channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
                    <option value="">{t('replyChannelLatest', { channel: term('channel', latest ?? '') })}</option>
                    {channels.map((c) => (
                      <option key={c} value={c}>
                        {term('channel', c)}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <div class="filter">
                <label for="canned-reply">{t('cannedReplies')}</label>
                <select
                  id="canned-reply"
                  value=""
                  disabled={!canned.data?.items.length}
                  onChange={(e) => {
                    const picked = canned.data?.items.find((c) => c.id === e.currentTarget.value);
                    e.currentTarget.value = '';
                    if (picked) insert(picked.text);
                  }}
                >
                  <option value="">{canned.data && canned.data.items.length === 0 ? t('cannedNone') : t('cannedPick')}</option>
                  {(canned.data?.items ?? []).map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.title}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          )}
        </div>
        {mode === 'reply' && Boolean(canned.error) && (
          <p class="error" role="alert">
            {t('cannedUnavailable', { message: describeError(canned.error, t) })}
          </p>
        )}
        <label for="composer-text">{label}</label>
        <textarea
          id="composer-text"
          ref={box}
          rows={3}
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
            onTyping?.();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void send.run();
            }
          }}
        />
        <div class="composer-actions">
          <button type="submit" disabled={send.busy}>
            {send.busy ? t('sending') : mode === 'reply' ? t('sendReply') : t('addNote')}
          </button>
          <span class="hint">{t('ctrlEnterHint')}</span>
        </div>
        <ErrorMessage error={send.error} />
        <Done text={send.done} />
      </form>
    </section>
  );
}
