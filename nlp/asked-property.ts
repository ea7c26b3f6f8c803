/**
 * A word of a bad experience asked about, not told: "这款鞋尺码偏大吗？", "洗了会掉色吗" ask what a thing is like before
 * buying it. A message of one clause whose word is followed by a yes/no question's 吗 (not 了吗, which asks whether
 * something happened: "我被骗了吗"; not an emphatic 嘛), with nothing before it or in it that makes the question rhetorical
 * or says it happened ("太贵了吗"): not 不/没 ("不觉得太贵吗"), 难道, 这么/那么/这样/太/真 ("质量
 * 这么差吗"), 还/又/总/老/一直/已经 ("还会掉色吗": it did), 竟然/居然, 就/也 ("就这么坏了吗"). A question after a
 * clause that tells what happened asks about that ("收到的书封面有折痕，能换一本吗"): it stays a complaint.
 */
const CLAUSE_BREAK = /[，,。.！!？?；;：:\n]/;
const RHETORICAL = /[不没太真还又总老竟居就也]|难道|这么|那么|这样|一直|已经/;
const ASKED_AFTER = /^[的得]?吗/;
const TRAILING = /[\s。.！!？?~～…]+$/;

/**
 * For one message: whether a hit is asked about. What the message is (one clause, where its first rhetorical word is) is
 * found at the first hit followed by 吗, once.
 */
export function propertyAskedAbout(folded: string): (hit: { start: number; end: number }) => boolean {
  let shape: { oneClause: boolean; rhetoricalAt: number } | undefined;
  return (hit) => {
    if (folded[hit.end - 1] === '了' || !ASKED_AFTER.test(folded.slice(hit.end, hit.end + 2))) return false;
    shape ??= { oneClause: !CLAUSE_BREAK.test(folded.replace(TRAILING, '')), rhetoricalAt: RHETORICAL.exec(folded)?.index ?? Infinity };
    return shape.oneClause && shape.rhetoricalAt >= hit.end;
  };
}
