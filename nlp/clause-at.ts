/**
 * The clause around a stretch of a folded text: between the nearest clause stops on either side, reaching at most
 * MAX_CLAUSE_REACH characters each way (a run-on message is not one clause). Pure.
 */

/** What ends a clause. */
const CLAUSE_STOP = /[，。！？；,.!?;\n]/u;
/** A clause reaches at most this far either side of what it is asked around. */
const MAX_CLAUSE_REACH = 120;

/** Where the clause around `start`..`end` begins and ends. */
export function clauseBounds(folded: string, start: number, end: number): [start: number, end: number] {
  let a = start;
  while (a > 0 && start - a < MAX_CLAUSE_REACH && !CLAUSE_STOP.test(folded[a - 1]!)) a--;
  let b = end;
  while (b < folded.length && b - end < MAX_CLAUSE_REACH && !CLAUSE_STOP.test(folded[b]!)) b++;
  return [a, b];
}

/** The clause around `start`..`end`. */
export function clauseAt(folded: string, start: number, end: number): string {
  return folded.slice(...clauseBounds(folded, start, end));
}
