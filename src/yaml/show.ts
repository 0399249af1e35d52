/** A user value quoted for a message: JSON escapes hide nothing, long values are cut. */
export function show(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
