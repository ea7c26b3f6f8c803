import type { PresentPerson } from '../api/types.js';
import { useT } from '../i18n/language.js';

/** Who else has this ticket open, and who is writing on it now: so two agents do not answer one customer twice. */
export function PresenceBar({ others }: { others: PresentPerson[] }) {
  const { t } = useT();
  const typing = others.filter((p) => p.state === 'typing');
  const viewing = others.filter((p) => p.state === 'viewing');
  return (
    <div class="presence" role="status" aria-live="polite">
      {typing.length > 0 && <p class="presence-typing">{t('presenceTyping', { names: typing.map((p) => p.displayName).join(', ') })}</p>}
      {viewing.length > 0 && <p class="presence-viewing">{t('presenceViewing', { names: viewing.map((p) => p.displayName).join(', ') })}</p>}
    </div>
  );
}
