import { UsageError } from '../io.js';

/** `--at TIME` plans as if it were TIME: reproducible output for reviews, tests and docs. */
export function parseNow(at: string | undefined): Date {
  if (at === undefined) return new Date();
  const date = new Date(at);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/.test(at) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--at wants a UTC time like 2026-11-25T09:00:00Z, not "${at}"`);
  }
  return date;
}
