import { MAX_DURATION_MINUTES, formatDuration, parseDuration } from '../../src/request/duration.js';

test.each([
  ['90m', 90],
  ['2h', 120],
  ['1h30m', 90],
  ['1h0m', 60],
  ['15m', 15],
  ['12h', 720],
  ['PT2H', 120],
  ['PT1H30M', 90],
  ['PT45M', 45],
  [' 2h ', 120],
])('%s is %i minutes', (text, minutes) => {
  expect(parseDuration(text)).toEqual({ ok: true, value: minutes });
});

test.each([
  ['0m', 'is zero'],
  ['0h0m', 'is zero'],
  ['PT0M', 'is zero'],
  ['-1h', 'is negative'],
  ['999h', 'longer than the 12h limit'],
  ['12h1m', 'longer than the 12h limit'],
  ['2', 'has no unit: add one, e.g. 2h or 2m'],
  ['1.5', 'has no unit'],
  ['1d', 'days and weeks are not accepted'],
  ['2 weeks', 'days and weeks are not accepted'],
  ['PT0S', 'seconds are not accepted'],
  ['30s', 'seconds are not accepted'],
  ['P1D', 'only hours and minutes'],
  ['1h90m', 'has 90 minutes after the hours: write 2h30m'],
  ['', 'is not a duration'],
  ['PT', 'is not a duration'],
  ['h', 'is not a duration'],
  ['2h 30m', 'is not a duration'],
  ['two hours', 'is not a duration'],
  ['99999999999h', 'is not a duration'],
])('%j is refused: %s', (text, message) => {
  const result = parseDuration(text);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.problems[0]?.message).toContain(message);
});

test('the cap is 12 hours', () => {
  expect(MAX_DURATION_MINUTES).toBe(720);
});

test.each([
  [45, '45m'],
  [60, '1h'],
  [90, '1h30m'],
  [720, '12h'],
])('formatDuration(%i) is %s and parses back', (minutes, text) => {
  expect(formatDuration(minutes)).toBe(text);
  expect(parseDuration(text)).toEqual({ ok: true, value: minutes });
});
