import type { GrantWindow } from '../domain.js';

/**
 * The grant's validity: from the requested start (or now) for the requested duration. Whole
 * seconds, because the policy's `aws:CurrentTime` conditions are written to the second and
 * the window shown to reviewers must be exactly the one enforced.
 */
export function grantWindow(
  start: Date | undefined,
  durationMinutes: number,
  now: Date,
): GrantWindow {
  const from = Math.floor((start ?? now).getTime() / 1000) * 1000;
  return { start: new Date(from), expiry: new Date(from + durationMinutes * 60_000) };
}
