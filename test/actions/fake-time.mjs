// Preloaded into an action's process by the test runner (`node --import`): the machine's clock
// reads JIT_FAKE_NOW at start and runs on from there, as a runner's clock would at that time.
// Production code stays free of test hooks; only the harness moves time.
const target = Date.parse(process.env.JIT_FAKE_NOW ?? '');
if (!Number.isNaN(target)) {
  const RealDate = Date;
  const offset = target - RealDate.now();
  class RunnerDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = RunnerDate;
}
