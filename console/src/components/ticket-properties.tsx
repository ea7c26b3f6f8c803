import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { NEXT_STATUSES, PRIORITIES, type Agent, type CategoryInfo, type QueueCount, type TicketDetail, type TicketStatus } from '../api/types.js';
import type { Action } from '../hooks/use-action.js';
import { useAction } from '../hooks/use-action.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/language.js';
import { categoryOptions } from '../ticket/category-options.js';
import { Done, ErrorMessage } from './error-message.js';

interface Draft {
  status: string;
  priority: string;
  queue: string;
  assignee: string;
  category: string;
  subcategory: string;
}

const draftOf = (t: TicketDetail): Draft => ({
  status: t.status,
  priority: t.priority,
  queue: t.queue,
  assignee: t.assignee ?? '',
  category: t.category ?? '',
  subcategory: t.subcategory ?? '',
});

/** Only what the agent changed, in the shape PATCH /api/v1/tickets/:id takes. */
function patchOf(draft: Draft, t: TicketDetail): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (draft.status !== t.status) patch.status = draft.status;
  if (draft.priority !== t.priority) patch.priority = draft.priority;
  if (draft.queue !== t.queue) patch.queue = draft.queue;
  if (draft.assignee !== (t.assignee ?? '')) patch.assignee = draft.assignee || null;
  const category = draft.category.trim().toUpperCase();
  const subcategory = draft.subcategory.trim().toUpperCase();
  if (category && category !== (t.category ?? '')) patch.category = category;
  if (subcategory !== (t.subcategory ?? '')) {
    // A new category without a sub-code clears the old one on the server; say nothing then.
    if (subcategory) patch.subcategory = subcategory;
    else if (!patch.category) patch.subcategory = null;
  }
  return patch;
}

/**
 * Assignee (known agents only, or "assign to me"), status, priority, queue, category and
 * sub-code, saved together with one PATCH; the server's refusal shows under the button.
 */
export function TicketProperties({ ticket, assignToMe, onSaved }: { ticket: TicketDetail; assignToMe: Action<[]>; onSaved: () => void }) {
  const { t, term, lang } = useT();
  const [draft, setDraft] = useState<Draft>(() => draftOf(ticket));
  useEffect(() => setDraft(draftOf(ticket)), [ticket.updatedAt, ticket.id]);
  const agents = useResource(() => api.get<{ items: Agent[] }>('/api/v1/agents'), 'agents');
  const queues = useResource(() => api.get<{ items: QueueCount[] }>('/api/v1/queues'), 'queues');
  const taxonomy = useResource(() => api.get<{ items: CategoryInfo[] }>('/api/v1/categories'), 'categories');
  const options = useMemo(() => categoryOptions(ticket, taxonomy.data?.items, lang), [ticket, taxonomy.data, lang]);

  const save = useAction(async () => {
    const patch = patchOf(draft, ticket);
    if (Object.keys(patch).length === 0) return;
    await api.patch(`/api/v1/tickets/${ticket.id}`, patch);
    onSaved();
    return t('saved');
  });

  const set = (key: keyof Draft) => (e: Event) => setDraft((d) => ({ ...d, [key]: (e.currentTarget as HTMLInputElement).value }));
  const agentList = agents.data?.items ?? [];
  const assigneeKnown = !ticket.assignee || agentList.some((a) => a.name === ticket.assignee);
  const queueIds = [...new Set([ticket.queue, ...(queues.data?.items ?? []).map((q) => q.queue)])];
  const statuses = [ticket.status, ...NEXT_STATUSES[ticket.status as TicketStatus]];

  return (
    <section class="panel properties" aria-labelledby="properties-title">
      <h2 id="properties-title">{t('ticketProperties')}</h2>
      <div class="assign-me">
        <button type="button" class="secondary" onClick={() => assignToMe.run()} disabled={assignToMe.busy} aria-keyshortcuts="a">
          {t('assignToMe')}
        </button>
        <ErrorMessage error={assignToMe.error} />
        <Done text={assignToMe.done} />
      </div>
      <form
        class="properties-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <label for="prop-assignee">{t('fieldAssignee')}</label>
        <select id="prop-assignee" value={draft.assignee} onChange={set('assignee')}>
          <option value="">{t('unassign')}</option>
          {!assigneeKnown && <option value={ticket.assignee!}>{ticket.assignee}</option>}
          {agentList.map((a) => (
            <option key={a.name} value={a.name}>
              {a.displayName && a.displayName !== a.name ? `${a.displayName} (${a.name})` : a.name}
            </option>
          ))}
        </select>
        {Boolean(agents.error) && <ErrorMessage error={agents.error} />}

        <label for="prop-status">{t('fieldStatus')}</label>
        <select id="prop-status" value={draft.status} onChange={set('status')}>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {term('status', s)}
            </option>
          ))}
        </select>

        <label for="prop-priority">{t('fieldPriority')}</label>
        <select id="prop-priority" value={draft.priority} onChange={set('priority')}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {term('priority', p)}
            </option>
          ))}
        </select>

        <label for="prop-queue">{t('fieldQueue')}</label>
        <select id="prop-queue" value={draft.queue} onChange={set('queue')}>
          {queueIds.map((q) => (
            <option key={q} value={q}>
              {q}
            </option>
          ))}
        </select>

        <label for="prop-category">{t('fieldCategory')}</label>
        <input
          id="prop-category"
          list="prop-category-codes"
          value={draft.category}
          aria-describedby="prop-category-hint"
          onInput={(e) => {
            const category = e.currentTarget.value;
            // A sub-code belongs to one category: changing the category starts its sub-code afresh.
            setDraft((d) => ({ ...d, category, subcategory: category.trim().toUpperCase() === (ticket.category ?? '') ? (ticket.subcategory ?? '') : '' }));
          }}
        />
        <datalist id="prop-category-codes">
          {options.categories.map((c) => (
            <option key={c.code} value={c.code} label={c.label ? `${c.code} · ${c.label}` : undefined} />
          ))}
        </datalist>
        <label for="prop-subcategory">{t('fieldSubcategory')}</label>
        <input
          id="prop-subcategory"
          list="prop-subcategory-codes"
          value={draft.subcategory}
          placeholder={t('subcategoryNone')}
          onInput={set('subcategory')}
          aria-describedby="prop-category-hint"
        />
        <datalist id="prop-subcategory-codes">
          {options.subcategories(draft.category.trim().toUpperCase()).map((s) => (
            <option key={s.code} value={s.code} label={s.label ? `${s.code} · ${s.label}` : undefined} />
          ))}
        </datalist>
        <p class="hint" id="prop-category-hint">
          {t('categoryHint')}
        </p>

        <button type="submit" disabled={save.busy}>
          {t('save')}
        </button>
        <ErrorMessage error={save.error} />
        <Done text={save.done} />
      </form>
    </section>
  );
}
