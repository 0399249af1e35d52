/**
 * Jest's own order (failed first, then longest by the last run's timings), but on a fresh
 * clone, where jest has no timings and falls back to file size, the files known to take longest
 * start first, so two workers do not wait at the end for one long file (decision 028).
 */
import Sequencer from '@jest/test-sequencer';

const Base = Sequencer.default ?? Sequencer;

/** Measured CPU seconds of the longest files (docs/decisions/028-test-suite-time.md). */
const KNOWN_SLOW = [
  ['test/package/cli-package.test.ts', 78],
  ['test/e2e/identity-center-refusals.test.ts', 42],
  ['test/e2e/init-to-grant.test.ts', 35],
  ['test/e2e/identity-center-lifecycle.test.ts', 29],
  ['test/runbook/sources/athena.test.ts', 26],
  ['test/trust/revoke-authority.test.ts', 24],
  ['test/scale/identity-center.test.ts', 22],
  ['test/emulators/aws/athena.test.ts', 22],
  ['test/trust/state-tamper.test.ts', 20],
  ['test/trust/runs.test.ts', 19],
  ['test/report/review-comment-render.test.ts', 18],
  ['test/deploy/trust.test.ts', 18],
  ['test/e2e/refusals.test.ts', 16],
  ['test/cli/demo.test.ts', 14],
  ['test/e2e/lifecycle.test.ts', 12],
];

export default class SlowFirstSequencer extends Base {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((t) => t.duration != null)) return sorted;
    const known = (t) =>
      KNOWN_SLOW.find(([file]) => t.path.replaceAll('\\', '/').endsWith(file))?.[1] ?? 0;
    return [...sorted].sort((a, b) => known(b) - known(a));
  }
}
