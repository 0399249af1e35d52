/**
 * Durations as people write them (`90m`, `2h`, `1h30m`) or as ISO 8601 (`PT2H`, `PT1H30M`),
 * in whole minutes. Nothing longer than 12 hours: a JIT grant is for a task, not a shift, and
 * 12 hours is also the longest session IAM allows for a role.
 */
import { error, fail, ok, type Result } from '../problem.js';

export const MAX_DURATION_MINUTES = 12 * 60;
/** The longest a chain of extensions may run (decision 025): an incident, not a standing grant. */
export const MAX_CHAIN_MINUTES = 72 * 60;

const SHORT = /^(?:(\d{1,5})h)?(?:(\d{1,5})m)?$/;
const ISO = /^PT(?:(\d{1,5})H)?(?:(\d{1,5})M)?$/;
const EXAMPLES = 'write it like 90m, 2h, 1h30m or PT1H30M';

/**
 * Minutes in `text`; problems have path `` for the caller to set. `limit` is the longest allowed
 * (a grant's 12h; a chain's 72h) and what it is the limit of.
 */
export function parseDuration(
  text: string,
  limit = { minutes: MAX_DURATION_MINUTES, of: 'any grant' },
): Result<number> {
  const trimmed = text.trim();
  const match = SHORT.exec(trimmed) ?? ISO.exec(trimmed);
  if (trimmed === '' || trimmed === 'PT' || !match) return fail([error('', explain(trimmed))]);
  const hours = Number(match[1] ?? 0);
  const minutes = Number(match[2] ?? 0);
  if (match[1] !== undefined && minutes >= 60) {
    return fail([
      error(
        '',
        `"${trimmed}" has ${minutes} minutes after the hours: write ${formatDuration(hours * 60 + minutes)}`,
      ),
    ]);
  }
  const total = hours * 60 + minutes;
  if (total === 0) return fail([error('', `duration "${trimmed}" is zero: ${EXAMPLES}`)]);
  if (total > limit.minutes) {
    return fail([
      error(
        '',
        `duration ${formatDuration(total)} is longer than the ${formatDuration(limit.minutes)} limit of ${limit.of}`,
      ),
    ]);
  }
  return ok(total);
}

function explain(text: string): string {
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  if (/^[-+]?\d+(\.\d+)?$/.test(text))
    return `duration ${shown} has no unit: add one, e.g. ${text}h or ${text}m`;
  if (text.startsWith('-')) return `duration ${shown} is negative: ${EXAMPLES}`;
  if (/^\d+\s*(d|days?|w|weeks?)$/i.test(text))
    return `duration ${shown}: days and weeks are not accepted (12h at most); ${EXAMPLES}`;
  if (/^P(T.*)?\d+S$/i.test(text) || /^\d+s$/i.test(text))
    return `duration ${shown}: seconds are not accepted; ${EXAMPLES}`;
  if (/^P\d/i.test(text))
    return `duration ${shown}: only hours and minutes (PT…H…M) are accepted; ${EXAMPLES}`;
  return `duration ${shown} is not a duration: ${EXAMPLES}`;
}

/** The short form: 90 → `1h30m`, 120 → `2h`, 45 → `45m`. */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}
