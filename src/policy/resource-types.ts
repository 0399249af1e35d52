/**
 * Which resources an action acts on, from AWS's Service Authorization Reference (as sliced into
 * data/iam-resources.generated.ts): `s3:GetObject` acts on objects, `s3:ListBucket` on buckets,
 * `s3:ListAllMyBuckets` on no resource type at all (only `*`). A statement whose resources are
 * none of an action's types grants that action nothing, which a requester learns only after the
 * grant, when the call is denied.
 */
import type { ActionInfo } from './actions.js';
import { ACCESS_LEVELS } from './actions.js';
import { IAM_ACTIONS } from './data/iam-actions.generated.js';
import { IAM_RESOURCES } from './data/iam-resources.generated.js';

export interface ResourceType {
  name: string;
  /** Full ARN formats as AWS documents them, e.g. `arn:${Partition}:s3:::${BucketName}`. */
  formats: readonly string[];
}

/** Action name (lower case) → the resource types it acts on; built per service on first use. */
const byService = new Map<string, Map<string, readonly ResourceType[]>>();

function serviceTypes(service: string): Map<string, readonly ResourceType[]> {
  const cached = byService.get(service);
  if (cached) return cached;
  const built = new Map<string, readonly ResourceType[]>();
  const data = Object.hasOwn(IAM_RESOURCES, service) ? IAM_RESOURCES[service] : undefined;
  const levels = Object.hasOwn(IAM_ACTIONS, service) ? IAM_ACTIONS[service] : undefined;
  if (data && levels) {
    const types = data[0].split(';').map((entry): ResourceType => {
      const [name = '', formats = ''] = entry.split('=');
      return { name, formats: formats.split('|').map((f) => `arn:\${Partition}:${f}`) };
    });
    const perAction = data[1].split(',');
    // The generator lists actions in IAM_ACTIONS's order: by access level, then by name.
    const names = ACCESS_LEVELS.flatMap((_, level) =>
      levels[level] === '' ? [] : levels[level]!.split(','),
    );
    names.forEach((name, i) => {
      const indexes = perAction[i] ?? '';
      built.set(
        name.toLowerCase(),
        indexes === '' ? [] : indexes.split('.').map((n) => types[Number(n)]!),
      );
    });
  }
  byService.set(service, built);
  return built;
}

/** The resource types an action acts on; empty when it acts on none (it takes only `*`). */
export function resourceTypesOf(info: ActionInfo): readonly ResourceType[] {
  const name = info.action.slice(info.service.length + 1).toLowerCase();
  return serviceTypes(info.service).get(name) ?? [];
}

/**
 * Whether a statement's resources name something the action acts on. Errs towards yes: a
 * resource with a wildcard or policy variable may be anything it could match, and only S3 bucket
 * names are taken to hold no `/` (AWS forbids it), which tells a bucket from its objects.
 */
export function actsOnAny(info: ActionInfo, resources: readonly string[]): boolean {
  if (resources.includes('*')) return true;
  const types = resourceTypesOf(info);
  if (types.length === 0) return resources.some((r) => /[*?]|\$\{/.test(r));
  return resources.some((r) => types.some((t) => t.formats.some((f) => arnMatches(r, f))));
}

type Token = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'any'; slash: boolean };

/** A resource as written: `*` and `?` are wildcards, a policy variable may be anything. */
function globTokens(text: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '$' && text[i + 1] === '{' && text.indexOf('}', i) > 0) {
      i = text.indexOf('}', i);
      tokens.push({ kind: 'any', slash: true });
    } else if (c === '*') tokens.push({ kind: 'any', slash: true });
    else if (c === '?') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'char', char: c.toLowerCase() });
  }
  return tokens;
}

/** An ARN format: each `${Variable}` is any non-empty run; `${BucketName}` holds no `/`. */
function formatTokens(text: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const end = c === '$' && text[i + 1] === '{' ? text.indexOf('}', i) : -1;
    if (end > 0) {
      const variable = text.slice(i + 2, end);
      tokens.push({ kind: 'one' }, { kind: 'any', slash: variable !== 'BucketName' });
      i = end;
    } else tokens.push({ kind: 'char', char: c.toLowerCase() });
  }
  return tokens;
}

/** ARNs compare part by part: no wildcard or variable spans the colons between the first five. */
function arnMatches(resource: string, format: string): boolean {
  const mine = arnParts(resource);
  const theirs = arnParts(format);
  if (!mine || !theirs) return true;
  return mine.every((part, i) => {
    const other = theirs[i]!;
    // A format's empty region or account is empty in every ARN of that type; `*` matches it.
    return overlap(globTokens(part), formatTokens(other));
  });
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** Whether some string matches both token lists: a walk over pairs of positions. */
function overlap(a: Token[], b: Token[]): boolean {
  const width = b.length + 1;
  const seen = new Set<number>();
  const pending = [0];
  const fits = (x: Token, y: Token): boolean => {
    // One character both sides accept.
    if (x.kind === 'char' && y.kind === 'char') return x.char === y.char;
    const char = x.kind === 'char' ? x.char : y.kind === 'char' ? y.char : undefined;
    const noSlash = (x.kind === 'any' && !x.slash) || (y.kind === 'any' && !y.slash);
    return !(noSlash && char === '/');
  };
  while (pending.length > 0) {
    const state = pending.pop()!;
    if (seen.has(state)) continue;
    seen.add(state);
    const i = Math.floor(state / width);
    const j = state % width;
    if (i === a.length && j === b.length) return true;
    const x = a[i];
    const y = b[j];
    const next = (ni: number, nj: number) => pending.push(ni * width + nj);
    if (x?.kind === 'any') next(i + 1, j);
    if (y?.kind === 'any') next(i, j + 1);
    if (x && y && fits(x, y)) {
      // A run consumes a character and stays; anything else moves on.
      next(x.kind === 'any' ? i : i + 1, y.kind === 'any' ? j : j + 1);
      if (x.kind === 'any' && y.kind === 'any') next(i + 1, j + 1);
    }
  }
  return false;
}
