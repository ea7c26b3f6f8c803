import { readFileSync } from 'node:fs';
import { parseCsvObjects } from '../../nlp/csv.js';
import { sharedData } from '../shared-data.js';

/**
 * The intake benches' message bodies: the first 500 CFPB narratives (English) and the first 500
 * negative waimai_10k reviews (Chinese), alternating. bench/intake, bench/scale-out and
 * bench/intake/profile-drain.ts send the same texts, so their figures compare.
 */
export function complaintTexts(): Array<{ text: string; language: 'en' | 'zh' }> {
  const csv = (file: string) => parseCsvObjects(readFileSync(sharedData(file), 'utf8'));
  const cfpb = csv('cfpb/sample.csv')
    .map((r) => r.narrative ?? '')
    .filter((t) => t.trim().length > 0)
    .slice(0, 500);
  const waimai = csv('waimai_10k/sample.csv')
    .filter((r) => r.label === '0')
    .map((r) => r.review ?? '')
    .filter((t) => t.trim().length > 0)
    .slice(0, 500);
  const out: Array<{ text: string; language: 'en' | 'zh' }> = [];
  for (let i = 0; i < Math.max(cfpb.length, waimai.length); i++) {
    if (cfpb[i]) out.push({ text: cfpb[i]!, language: 'en' });
    if (waimai[i]) out.push({ text: waimai[i]!, language: 'zh' });
  }
  return out;
}
