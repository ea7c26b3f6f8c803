import { useRef } from 'preact/hooks';
import type { ConfigCheck } from '../api/types.js';
import { useT } from '../i18n/language.js';

/** Puts the caret on line `line` (1-based) of the textarea and selects it, so the person sees what a problem names. */
function selectLine(box: HTMLTextAreaElement, line: number): void {
  const lines = box.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  const end = start + (lines[line - 1]?.length ?? 0);
  box.focus();
  box.setSelectionRange(start, end);
  // Scroll the line into view: about one line height per line.
  const lineHeight = parseFloat(getComputedStyle(box).lineHeight) || 18;
  box.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

/** The YAML text, and under it what the check found (line, field, reason), each a button to that line. */
export function RulesEditor({
  file,
  value,
  onInput,
  check,
  checking,
}: {
  file: string;
  value: string;
  onInput: (text: string) => void;
  check: ConfigCheck | undefined;
  checking: boolean;
}) {
  const { t } = useT();
  const box = useRef<HTMLTextAreaElement>(null);
  return (
    <div class="rules-editor">
      <label for="rules-text">{t('rulesEditLabel', { file })}</label>
      <textarea
        ref={box}
        id="rules-text"
        class="code"
        spellcheck={false}
        autoCapitalize="off"
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        aria-describedby="rules-check"
        rows={24}
      />
      <div id="rules-check" class="rules-check" role="status" aria-live="polite">
        {checking && <p class="muted">{t('rulesChecking')}</p>}
        {!checking && check?.ok && <p class="ok">{t('rulesValid')}</p>}
        {!checking && check && !check.ok && (
          <>
            <p class="error">{t('rulesProblems', { count: check.problems.length })}</p>
            <ul class="problems">
              {check.problems.map((p, i) => (
                <li key={i}>
                  {p.line && p.file === file ? (
                    <button type="button" class="link-button" onClick={() => box.current && selectLine(box.current, p.line!)}>
                      {t('rulesLine', { line: p.line })}
                    </button>
                  ) : (
                    <span class="problem-file">{p.line ? `${p.file}:${p.line}` : p.file}</span>
                  )}{' '}
                  {p.field && <code>{p.field}</code>} {p.reason}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
