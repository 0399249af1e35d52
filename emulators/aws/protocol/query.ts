import { validationError } from './errors.js';

/**
 * AWS Query protocol input: a form body like `Action=CreatePolicy&Tags.member.1.Key=team`, turned
 * into nested values (`{ Tags: [{ Key: 'team' }] }`) so operations read members by name.
 */
export type QueryValue = string | QueryValue[] | { [member: string]: QueryValue };
export type QueryParams = { [member: string]: QueryValue };

export function parseQuery(body: string): QueryParams {
  // Null-prototype nodes: member names come from the client and must not reach Object.prototype.
  const root: Record<string, unknown> = Object.create(null);
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split('.');
    const last = path.pop() as string;
    let node = root;
    for (const segment of path) {
      let next = node[segment];
      if (typeof next !== 'object' || next === null) {
        next = Object.create(null);
        node[segment] = next;
      }
      node = next as Record<string, unknown>;
    }
    node[last] = value;
  }
  return listify(root) as QueryParams;
}

/** `{ member: { '1': a, '2': b } }` is the wire form of the list `[a, b]`. */
function listify(node: unknown): QueryValue {
  if (typeof node !== 'object' || node === null) return node as string;
  const record = node as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === 'member' && typeof record.member === 'object') {
    const items = record.member as Record<string, unknown>;
    return Object.keys(items)
      .filter((k) => /^\d+$/.test(k))
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => listify(items[k]));
  }
  const out: Record<string, QueryValue> = Object.create(null);
  for (const key of keys) out[key] = listify(record[key]);
  return out;
}

/** Member names in Smithy messages are lowerCamelCase, as AWS reports them. */
const memberName = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

export function optionalString(params: QueryParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw validationError(memberName(name), 'Member must be a string', '[complex]');
  return value;
}

export function requiredString(params: QueryParams, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined)
    throw validationError(memberName(name), 'Member must not be null', undefined);
  return value;
}

export function optionalInteger(
  params: QueryParams,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = optionalString(params, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw validationError(
      memberName(name),
      `Member must have value greater than or equal to ${min}`,
      raw,
    );
  if (value > max)
    throw validationError(
      memberName(name),
      `Member must have value less than or equal to ${max}`,
      raw,
    );
  return value;
}

export function optionalBoolean(params: QueryParams, name: string): boolean | undefined {
  const raw = optionalString(params, name);
  return raw === undefined ? undefined : raw === 'true';
}

export function list(params: QueryParams, name: string): QueryValue[] {
  const value = params[name];
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}
