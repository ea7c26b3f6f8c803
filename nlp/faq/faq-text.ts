/**
 * The folded form of a message or paraphrase that the FAQ matches on: NFKC, half-width, lower case,
 * simplified Chinese (nlp/text-normalizer foldText), plus two things only the FAQ needs.
 */
import * as OpenCC from 'opencc-js';
import { foldText, toSimplified } from '../text-normalizer.js';

let taiwanPhrases: ((text: string) => string) | undefined;

/**
 * foldText, after OpenCC's Taiwan phrase table when the text has traditional characters: foldText
 * maps character by character (it must keep offsets), so 簡訊 became 简讯 and missed 短信, 網路 missed
 * 网络. Here offsets do not matter, so whole words are converted first (~0.02 ms a message).
 * Then 幺 back to 么: OpenCC's character table turns the simplified 么 into 幺 in some builds, which
 * split 怎么 into two meaningless pieces; 幺 itself is rare in customer questions.
 */
export function foldForFaq(text: string): string {
  let s = text;
  if (toSimplified(s) !== s) {
    const convert = (taiwanPhrases ??= OpenCC.Converter({ from: 'twp', to: 'cn' }));
    s = convert(s);
  }
  return foldText(s).folded.replace(/幺/g, '么');
}
