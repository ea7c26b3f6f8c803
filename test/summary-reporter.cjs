'use strict';
// mocha's Spec reporter plus the lines CI reads, the last one always "N passed, N failed".
//
// When a before, beforeEach or afterEach hook fails, mocha skips the tests it guards without
// reporting them: the hook counts as one failure and the tests vanish from the totals, so a run
// can look complete when it is not. This reporter lists each such test as "not run: <title>"
// and counts it as failed. Pending tests (it.skip, this.skip()) are not failures; their count
// is printed beside the not-run count.
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const failedHooks = [];
    runner.on(EVENT_TEST_FAIL, (runnable) => {
      if (runnable.type === 'hook') failedHooks.push(runnable);
    });
    runner.once(EVENT_RUN_END, () => {
      const notRun = testsNotRun(failedHooks, selectedByGrep(runner));
      const { passes, failures, pending } = runner.stats;
      // Spec registered its epilogue on the same event first, so these lines come after it.
      const lines = notRun.map((test) => `not run: ${test.fullTitle()}`);
      lines.push(`${notRun.length} not run, ${pending} pending`);
      lines.push(`${passes} passed, ${failures + notRun.length} failed`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  }
}

/**
 * The tests under the suites whose hooks failed that never got a result. A failed hook makes
 * mocha skip what is left of its own suite and the suites inside it, so those are the places
 * to look; a test that ran has a state, a skipped one is pending.
 */
function testsNotRun(failedHooks, selected) {
  const found = new Set();
  const visit = (suite) => {
    for (const test of suite.tests) if (!test.state && !test.isPending() && selected(test)) found.add(test);
    suite.suites.forEach(visit);
  };
  for (const hook of failedHooks) if (hook.parent) visit(hook.parent);
  return [...found];
}

/** Tests left out by --grep/--fgrep never run and are not "not run" either. */
function selectedByGrep(runner) {
  // mocha keeps the pattern on the runner (it has no public getter); no pattern selects every test.
  const grep = runner._grep;
  const invert = Boolean(runner._invert);
  if (!(grep instanceof RegExp)) return () => true;
  return (test) => grep.test(test.fullTitle()) !== invert;
}

module.exports = SummaryReporter;
