import { RateLimiter } from '../../../src/runbook/sources/rate-limiter.js';

/** A fake clock: sleeping advances it, so the test measures the schedule, not the machine. */
function fakeTime() {
  let now = 0;
  return { clock: () => now, sleep: async (ms: number) => void (now += ms), now: () => now };
}

test('at most two calls start in any one-second window, in order', async () => {
  const t = fakeTime();
  const limiter = new RateLimiter(2, t.clock, t.sleep);
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: 7 }, async () => {
      await limiter.take();
      starts.push(t.now());
    }),
  );
  expect(starts).toEqual([0, 0, 1000, 1000, 2000, 2000, 3000]);
  for (let i = 2; i < starts.length; i++)
    expect(starts[i]! - starts[i - 2]!).toBeGreaterThanOrEqual(1000);
});

test('calls spaced out by the caller are not delayed', async () => {
  const t = fakeTime();
  const limiter = new RateLimiter(2, t.clock, t.sleep);
  await limiter.take();
  await t.sleep(600);
  await limiter.take();
  await t.sleep(600);
  await limiter.take();
  expect(t.now()).toBe(1200);
});

test('run counts a call from its answer: a slow call cannot bunch up three arrivals', async () => {
  const t = fakeTime();
  const limiter = new RateLimiter(2, t.clock, t.sleep);
  const ends: number[] = [];
  const starts: number[] = [];
  // The first call takes 900 ms to arrive and answer, the next ones are instant.
  for (const latency of [900, 0, 0, 0, 0]) {
    await limiter.run(async () => {
      starts.push(t.now());
      await t.sleep(latency);
      ends.push(t.now());
    });
  }
  expect(starts).toEqual([0, 900, 1900, 1900, 2900]);
  // Every call arrives at least a second after the one two before it ended.
  for (let i = 2; i < starts.length; i++)
    expect(starts[i]! - ends[i - 2]!).toBeGreaterThanOrEqual(1000);
});
