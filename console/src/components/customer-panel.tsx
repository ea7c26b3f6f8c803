import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { CustomerDetail, TicketDetail } from '../api/types.js';
import { useAction } from '../hooks/use-action.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/language.js';
import { Done, ErrorMessage } from './error-message.js';

/**
 * The customer behind the ticket: identities on every channel, their other tickets, and the
 * merges that joined them, each undoable; an agent can link another customer by number.
 * Contact details come masked for agents; "Show contact details" reveals them for this page
 * (`reveal`, an audited request made by the ticket page), after which the ticket's own copy
 * of the identities, in full, is shown.
 */
export function CustomerPanel({
  ticket,
  canChange,
  onChanged,
  reveal,
  revealed = false,
}: {
  ticket: TicketDetail;
  canChange: boolean;
  onChanged: () => void;
  reveal?: () => Promise<void>;
  revealed?: boolean;
}) {
  const { t, term } = useT();
  const customer = useResource(() => api.get<CustomerDetail>(`/api/v1/customers/${ticket.customerId}`), `${ticket.customerId}:${ticket.updatedAt}`);
  const [otherId, setOtherId] = useState('');
  const [reason, setReason] = useState('');

  const undo = useAction(async (mergeId: number) => {
    const r = await api.post<{ ticketsMovedBack: number }>(`/api/v1/customers/merges/${mergeId}/undo`);
    await customer.reload();
    onChanged();
    return t('mergeDone', { n: r.ticketsMovedBack });
  });
  const link = useAction(async () => {
    await api.post('/api/v1/customers/merge', { customerIds: [ticket.customerId, Number(otherId)], reason });
    setOtherId('');
    setReason('');
    await customer.reload();
    onChanged();
    return t('linked');
  });

  const showContacts = useAction(async () => {
    await reveal?.();
    return undefined;
  });

  const c = customer.data;
  const identities = (revealed ? ticket.customer?.identities : undefined) ?? c?.identities ?? ticket.customer?.identities ?? [];
  const masked = !revealed && ticket.privacy?.contactsMasked === true;
  const others = (c?.tickets ?? []).filter((x) => x.id !== ticket.id);
  return (
    <section class="panel customer" aria-labelledby="customer-title">
      <h2 id="customer-title">{t('customer')}</h2>
      <p class="customer-name">
        <strong>{c?.displayName ?? ticket.customer?.name ?? t('customerNumber', { id: ticket.customerId })}</strong>{' '}
        <span class="muted">#{ticket.customerId}</span>
      </p>
      {(c?.tier ?? ticket.customer?.tier) && <p class="muted">{t('customerTier', { tier: c?.tier ?? ticket.customer!.tier })}</p>}
      <ErrorMessage error={customer.error} />
      <h3>{t('identities')}</h3>
      <ul class="identities">
        {identities.map((i) => (
          <li key={`${i.kind}:${i.value}`}>
            <span class="identity-kind">{term('identity', i.kind)}</span> {i.value}
            {i.verified && (
              <span class="verified" title={t('verified')}>
                {' '}
                ✓<span class="visually-hidden">{t('verified')}</span>
              </span>
            )}
          </li>
        ))}
      </ul>
      {masked && (
        <p class="masked-note">
          <span class="muted">{t('contactsMasked')}</span>{' '}
          {ticket.privacy?.mayReveal && reveal && (
            <button type="button" class="link-button" onClick={() => void showContacts.run()} disabled={showContacts.busy}>
              {t('revealContacts')}
            </button>
          )}
        </p>
      )}
      {revealed && (
        <p class="muted revealed-note" role="status">
          {t('revealedContacts')}
        </p>
      )}
      <ErrorMessage error={showContacts.error} />
      <h3>{t('otherTickets')}</h3>
      {others.length === 0 ? (
        <p class="muted">{t('noOtherTickets')}</p>
      ) : (
        <ul class="other-tickets">
          {others.map((o) => (
            <li key={o.id}>
              <a href={`#/tickets/${o.id}`}>{o.number}</a> <span class={`status status-${o.status}`}>{term('status', o.status)}</span>{' '}
              <span class="muted">{o.subject ?? ''}</span>
            </li>
          ))}
        </ul>
      )}
      {c && c.merges.length > 0 && (
        <>
          <h3>{t('merges')}</h3>
          <ul class="merges">
            {c.merges.map((m) => (
              <li key={m.id}>
                {t('mergeLine', { source: m.sourceId, target: m.targetId, reason: m.reason })}{' '}
                {m.undoneAt ? (
                  <span class="muted">({t('mergeUndone')})</span>
                ) : !canChange ? null : (
                  <button type="button" class="link-button" onClick={() => undo.run(m.id)} disabled={undo.busy}>
                    {t('mergeUndo')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <ErrorMessage error={undo.error} />
          <Done text={undo.done} />
        </>
      )}
      {canChange && (
        <details class="link-customer">
          <summary>{t('linkCustomer')}</summary>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void link.run();
            }}
          >
            <label for="link-customer-id">{t('linkCustomerId')}</label>
            <input id="link-customer-id" inputMode="numeric" value={otherId} onInput={(e) => setOtherId(e.currentTarget.value)} />
            <label for="link-customer-reason">{t('linkReason')}</label>
            <input id="link-customer-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            <button type="submit" class="secondary" disabled={link.busy}>
              {t('linkButton')}
            </button>
            <ErrorMessage error={link.error} />
            <Done text={link.done} />
          </form>
        </details>
      )}
    </section>
  );
}
