import type { Response } from 'express';

/** One CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is defused for spreadsheets. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Sends rows as a CSV download (UTF-8 with a BOM, which Excel needs to read Chinese). */
export function sendCsv(res: Response, filename: string, columns: string[], rows: Array<Record<string, unknown>>): void {
  const lines = [columns.map(csvField).join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))];
  res.attachment(filename);
  // After res.attachment, which sets a type from the extension without the charset.
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.send(`\uFEFF${lines.join('\r\n')}\r\n`);
}
