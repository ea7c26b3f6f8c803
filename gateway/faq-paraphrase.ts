import { isMap, isSeq, parseDocument, type Node } from 'yaml';
import { BadRequestError, ConflictError, NotFoundError } from './errors.js';

/**
 * faq.yaml with one more question paraphrase on an entry, changed as a person would change it:
 * only the entry's question list is touched (comments, layout and every other line stay as they
 * are), the new question quoted so that any text is valid YAML.
 */
export function withParaphrase(faqText: string, entryId: string, question: string, language: 'zh' | 'en'): string {
  const text = question.trim();
  if (!text) throw new BadRequestError('text: the question is empty');
  const doc = parseDocument(faqText, { keepSourceTokens: true });
  const entries = doc.get('entries', true);
  if (!isSeq(entries)) throw new BadRequestError('faq.yaml has no entries list');
  const entry = entries.items.find((e) => isMap(e) && e.get('id') === entryId);
  if (!isMap(entry)) throw new NotFoundError(`faq.yaml has no entry "${entryId.slice(0, 80)}"`);
  const questions = entry.getIn(['questions', language], true) as Node | undefined;
  if (!isSeq(questions) || !questions.range)
    throw new BadRequestError(`entry "${entryId}" has no ${language} questions yet: add the first ones in the rules workbench`);
  const existing = questions.items.map((q) =>
    String((q as { value?: unknown }).value ?? '')
      .trim()
      .toLowerCase(),
  );
  if (existing.includes(text.toLowerCase())) throw new ConflictError(`entry "${entryId}" already has the question "${text.slice(0, 200)}"`);
  const quoted = JSON.stringify(text);
  const [start, valueEnd] = questions.range;
  if (questions.flow) {
    // `[a, b]` → `[a, b, "new"]`: just before the closing bracket.
    const close = faqText.lastIndexOf(']', valueEnd - 1);
    if (close < start) throw new BadRequestError(`cannot find the end of entry "${entryId}"'s ${language} questions`);
    const inner = faqText.slice(start + 1, close).trimEnd();
    const sep = inner.length === 0 ? '' : ', ';
    return `${faqText.slice(0, start + 1)}${inner}${sep}${quoted}${faqText.slice(close)}`;
  }
  // A block list: a new "- item" line under the last one, at its indentation.
  const lineStart = faqText.lastIndexOf('\n', start) + 1;
  const indent = faqText.slice(lineStart, start);
  const afterLast = faqText.indexOf('\n', (questions.items.at(-1) as Node).range?.[1] ?? valueEnd);
  const at = afterLast < 0 ? faqText.length : afterLast;
  return `${faqText.slice(0, at)}\n${indent}- ${quoted}${faqText.slice(at)}`;
}

/** zh when the question holds Chinese characters, else en. */
export function questionLanguage(text: string): 'zh' | 'en' {
  return /[\u3400-\u9fff]/.test(text) ? 'zh' : 'en';
}
