import type { Evidence, TicketDetail } from '../api/types.js';
import { useT } from '../i18n/language.js';

const round = (n: unknown, digits = 2) => (typeof n === 'number' ? n.toFixed(digits).replace(/\.?0+$/, '') : String(n ?? ''));

function EvidenceLine({ e }: { e: Evidence }) {
  const { t, term } = useT();
  switch (e.kind) {
    case 'keyword':
      return (
        <>
          {t('evidenceKeyword', {
            term: String(e.term ?? ''),
            match: String(e.match ?? ''),
            category: [e.category, e.subcategory].filter(Boolean).join(' · '),
            weight: round(e.weight),
          })}
        </>
      );
    case 'example':
      return (
        <>
          {t('evidenceExample', { example: String(e.example ?? ''), subcategory: String(e.subcategory ?? e.category ?? ''), similarity: round(e.similarity) })}
        </>
      );
    case 'tone':
      return <>{t('evidenceTone', { tone: term('tone', e.tone), match: String(e.match ?? e.term ?? '') })}</>;
    case 'emotion':
      return <>{t('evidenceEmotion', { cue: String(e.cue ?? ''), match: String(e.match ?? '') })}</>;
    case 'severity':
      return <>{t('evidenceSeverity', { level: String(e.level ?? ''), match: String(e.match ?? '') })}</>;
    case 'model':
      return <>{t('evidenceModel', { label: String(e.label ?? ''), probability: round(e.probability) })}</>;
    default: {
      // A kind this console does not know yet (the classifier grows): show what it says.
      const { kind, ...rest } = e;
      return (
        <>
          {kind}:{' '}
          {Object.entries(rest)
            .filter(([k]) => k !== 'start' && k !== 'end')
            .map(([k, v]) => `${k} ${typeof v === 'number' ? round(v) : String(v)}`)
            .join(', ')}
        </>
      );
    }
  }
}

/** What the classifier decided and why (`understanding` as the API returns it). */
export function ClassificationPanel({ ticket }: { ticket: TicketDetail }) {
  const { t, term } = useT();
  const u = ticket.understanding;
  if (!u) {
    return (
      <section class="panel" aria-labelledby="classification-title">
        <h2 id="classification-title">{t('classification')}</h2>
        <p class="muted">{t('noClassification')}</p>
      </section>
    );
  }
  const entities = Object.entries(u.entities ?? {}).filter(([, list]) => Array.isArray(list) && list.length > 0);
  return (
    <section class="panel classification" aria-labelledby="classification-title">
      <h2 id="classification-title">{t('classification')}</h2>
      <p class="classification-verdict">
        <strong>
          {u.category ?? '—'}
          {u.subcategory ? ` · ${u.subcategory}` : ''}
        </strong>
        {u.severity != null && <span> · {term('severity', u.severity)}</span>}
        {u.emotion != null && (
          <span>
            {' '}
            · {t('fieldEmotion')} {u.emotion}/5
          </span>
        )}
      </p>
      <p class="muted">
        {u.confidence != null && t('confidence', { value: round(u.confidence) })}
        {u.source && ` · ${t('source', { source: term('source', u.source) })}`}
      </p>
      {u.evidence && u.evidence.length > 0 && (
        <>
          <h3>{t('evidence')}</h3>
          <ul class="evidence">
            {u.evidence.map((e, i) => (
              <li key={i} class={`evidence-${e.kind}`}>
                <EvidenceLine e={e} />
              </li>
            ))}
          </ul>
        </>
      )}
      {entities.length > 0 && (
        <>
          <h3>{t('entities')}</h3>
          <ul class="entities">
            {entities.map(([kind, list]) => (
              <li key={kind}>
                {term('entity', kind)}: {list.map((x) => x.text ?? String(x.value)).join(', ')}
              </li>
            ))}
          </ul>
        </>
      )}
      {u.route?.fired && u.route.fired.length > 0 && (
        <>
          <h3>{t('rulesFired')}</h3>
          <ul class="rules">
            {u.route.fired.map((r) => (
              <li key={r.ruleId}>
                <code>{r.ruleId}</code> {r.description && `— ${r.description}`}
                {r.reasons && r.reasons.length > 0 && <span class="muted"> ({r.reasons.join('; ')})</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {u.faq?.entryId && (
        <p class="muted">
          {t('faqMatch', { entry: u.faq.entryId, score: round(u.faq.score), answered: u.faq.answered ? t('faqAnswered') : t('faqNotAnswered') })}
        </p>
      )}
    </section>
  );
}
