import { invalidInput } from '../protocol/errors.js';

/**
 * IAM list paging: `MaxItems` (default 100, at most 1,000) and an opaque `Marker` naming the
 * first item of the next page, so pages stay correct while items are added or removed.
 */
export function page<T>(
  items: T[],
  keyOf: (item: T) => string,
  marker: string | undefined,
  maxItems = 100,
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  let start = 0;
  if (marker !== undefined) {
    const key = decodeMarker(marker);
    start = items.findIndex((item) => keyOf(item) >= key);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + maxItems);
  const next = items[start + maxItems];
  return next === undefined
    ? { items: slice, IsTruncated: false }
    : { items: slice, IsTruncated: true, Marker: Buffer.from(keyOf(next)).toString('base64') };
}

function decodeMarker(marker: string): string {
  const key = Buffer.from(marker, 'base64').toString('utf8');
  if (!key || Buffer.from(key).toString('base64') !== marker) throw invalidInput('Invalid Marker.');
  return key;
}
