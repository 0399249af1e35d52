/**
 * `hasFinalState` lets the grant reconciler skip a finished PR from its comments alone: it must
 * agree with `recordedState` for the PR's request, and trust only the action's own comments.
 */
import { hasFinalState, stateMarker } from '../../src/grant/state.js';

const BOT = 'github-actions[bot]';
const comment = (body: string, login = BOT, id = 1) => ({ id, body, user: { login } });

test.each([
  ['granted', true],
  ['expired', true],
  ['revoked', true],
  ['refused', false],
] as const)('a request recorded %s is final: %s', (state, final) => {
  expect(hasFinalState([comment(`## x\n\n${stateMarker('octocat-logs', state)}`)], BOT)).toBe(
    final,
  );
});

test('a refusal later granted is final; a grant later revoked stays final', () => {
  const refused = comment(stateMarker('a', 'refused'), BOT, 1);
  const granted = comment(stateMarker('a', 'granted'), BOT, 2);
  const revoked = comment(stateMarker('a', 'revoked'), BOT, 3);
  expect(hasFinalState([refused, granted], BOT)).toBe(true);
  expect(hasFinalState([granted, revoked, comment(stateMarker('a', 'refused'))], BOT)).toBe(true);
});

test('only our identity records state: a pasted marker counts for nothing', () => {
  expect(hasFinalState([comment(stateMarker('a', 'granted'), 'mallory')], BOT)).toBe(false);
  expect(hasFinalState([], BOT)).toBe(false);
  expect(hasFinalState([{ id: 1, body: null, user: null }], BOT)).toBe(false);
});
