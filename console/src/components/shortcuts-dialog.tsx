import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../i18n/language.js';
import { SHORTCUT_LIST } from '../keyboard/shortcuts.js';

/** The list behind "?": a modal dialog (Escape or the button closes it, focus returns where it was). */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    const before = document.activeElement as HTMLElement | null;
    dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      before?.focus?.();
    };
  }, []);
  return (
    <dialog ref={ref} class="shortcuts" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">{t('shortcutsTitle')}</h2>
      <dl>
        {SHORTCUT_LIST.map(([key, description]) => (
          <div key={key} class="shortcut">
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{t(description)}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onClose} autofocus>
        {t('close')}
      </button>
    </dialog>
  );
}
