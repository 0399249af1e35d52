import { AwsError } from '../protocol/errors.js';
import type { Tag } from '../state.js';

/**
 * JSON 1.1 input checks for SSO Admin and Identity Store, with the errors and HTTP statuses of
 * their Smithy models (ConflictException 409, ResourceNotFoundException 404,
 * ServiceQuotaExceededException 402, ValidationException 400) and Smithy's validation wording.
 */
export type JsonInput = Record<string, unknown>;

export const conflict = (message: string): AwsError =>
  new AwsError('ConflictException', message, 409);

export const notFound = (message: string, fields?: Record<string, string>): AwsError =>
  new AwsError('ResourceNotFoundException', message, 404, fields);

export const quotaExceeded = (message: string): AwsError =>
  new AwsError('ServiceQuotaExceededException', message, 402);

export const invalid = (message: string): AwsError =>
  new AwsError('ValidationException', message, 400);

/** Smithy's message for one failed constraint on one member. */
export function constraintError(member: string, constraint: string, value: unknown): AwsError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return invalid(
    `1 validation error detected: Value ${shown} at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: ${constraint}`,
  );
}

export interface StringRule {
  min?: number;
  max?: number;
  /** Anchored when checked; `source` is quoted in the message as AWS quotes the model's. */
  pattern?: RegExp;
}

export function optionalString(
  input: JsonInput,
  member: string,
  rule: StringRule = {},
): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`Invalid type for ${member}: expected a string`);
  if (rule.min !== undefined && value.length < rule.min)
    throw constraintError(
      member,
      `Member must have length greater than or equal to ${rule.min}`,
      value,
    );
  if (rule.max !== undefined && value.length > rule.max)
    throw constraintError(
      member,
      `Member must have length less than or equal to ${rule.max}`,
      value,
    );
  if (rule.pattern && !new RegExp(`^(?:${rule.pattern.source})$`, 'u').test(value))
    throw constraintError(
      member,
      `Member must satisfy regular expression pattern: ${rule.pattern.source}`,
      value,
    );
  return value;
}

export function requiredString(input: JsonInput, member: string, rule: StringRule = {}): string {
  const value = optionalString(input, member, rule);
  if (value === undefined) throw constraintError(member, 'Member must not be null', undefined);
  return value;
}

export function requiredEnum<T extends string>(
  input: JsonInput,
  member: string,
  values: readonly T[],
): T {
  const value = input[member];
  if (value === undefined || value === null)
    throw constraintError(member, 'Member must not be null', undefined);
  if (typeof value !== 'string' || !values.includes(value as T))
    throw constraintError(
      member,
      `Member must satisfy enum value set: [${values.join(', ')}]`,
      value,
    );
  return value as T;
}

export function maxResults(input: JsonInput, max = 100): number {
  const value = input.MaxResults;
  if (value === undefined || value === null) return max;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    throw constraintError(
      'MaxResults',
      value !== undefined && typeof value === 'number' && value < 1
        ? 'Member must have value greater than or equal to 1'
        : `Member must have value less than or equal to ${max}`,
      value,
    );
  return value;
}

/** ARN shapes from the SSO Admin API reference. */
export const INSTANCE_ARN = /arn:aws:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}/;
export const PERMISSION_SET_ARN =
  /arn:aws:sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}/;
export const ACCOUNT_ID = /\d{12}/;
export const PRINCIPAL_ID =
  /([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}/;
export const IDENTITY_STORE_ID =
  /d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Tag keys and values as the SSO Admin `Tag` type allows them. */
const TAG_TEXT = /[\p{L}\p{Z}\p{N}_.:/=+\-@]*/u;
/** Tags per permission set (the `Tags` member holds at most 75, the resource at most 50). */
export const MAX_TAGS = 50;

export function readTags(input: JsonInput, member = 'Tags'): Tag[] {
  const value = input[member];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`Invalid type for ${member}: expected a list`);
  if (value.length > 75)
    throw constraintError(member, 'Member must have length less than or equal to 75', value.length);
  return value.map((item) => {
    const tag = (item ?? {}) as JsonInput;
    return {
      Key: requiredString(tag, 'Key', { min: 1, max: 128, pattern: TAG_TEXT }),
      Value: requiredString(tag, 'Value', { min: 0, max: 256, pattern: TAG_TEXT }),
    };
  });
}

/**
 * List paging for SSO Admin and Identity Store: `NextToken` names the first item of the next
 * page (base64), so pages stay correct while items come and go.
 */
export function pageOf<T>(
  items: T[],
  keyOf: (item: T) => string,
  input: JsonInput,
  max = 100,
): { items: T[]; NextToken?: string } {
  const size = maxResults(input, max);
  const token = optionalString(input, 'NextToken', { max: 2048 });
  let start = 0;
  if (token !== undefined && token !== '') {
    const key = Buffer.from(token, 'base64').toString('utf8');
    if (!key || Buffer.from(key).toString('base64') !== token)
      throw invalid('The NextToken is invalid.');
    start = items.findIndex((item) => keyOf(item) >= key);
    if (start < 0) start = items.length;
  }
  const next = items[start + size];
  return {
    items: items.slice(start, start + size),
    NextToken: next === undefined ? undefined : Buffer.from(keyOf(next)).toString('base64'),
  };
}
