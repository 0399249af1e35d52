/** The AWS error code of a failed SDK call (`NoSuchEntity`, `EntityAlreadyExists`, …). */
export function awsErrorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const named = e as { name?: unknown; Code?: unknown };
  if (typeof named.Code === 'string') return named.Code;
  return typeof named.name === 'string' ? named.name : undefined;
}

export const isAwsError = (e: unknown, code: string): boolean => awsErrorCode(e) === code;

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
