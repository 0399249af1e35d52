/** The IAM action catalog: lookup, canonical casing, access levels and wildcard expansion. */
import { error, fail, ok, type Result } from '../problem.js';
import { IAM_ACTIONS } from './data/iam-actions.generated.js';
import { nearest } from '../text/nearest.js';
import { globToRegExp, hasWildcard } from './glob.js';

/** In the column order of the generated data. */
export const ACCESS_LEVELS = [
  'List',
  'Read',
  'Write',
  'Permissions management',
  'Tagging',
] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export interface ActionInfo {
  /** Canonical `service:Action`, e.g. `s3:GetObject`. */
  action: string;
  service: string;
  accessLevel: AccessLevel;
}

interface Service {
  actions: ActionInfo[];
  byLowerName: Map<string, ActionInfo>;
}

const catalog = new Map<string, Service>();

/**
 * One service's index, built on first use: a request names a few services, and indexing all
 * 22,000 actions cost every `jit validate` ~0.08 s.
 */
function serviceIndex(prefix: string): Service | undefined {
  const cached = catalog.get(prefix);
  if (cached) return cached;
  if (!Object.hasOwn(IAM_ACTIONS, prefix)) return undefined;
  const actions: ActionInfo[] = [];
  IAM_ACTIONS[prefix]!.forEach((names, level) => {
    if (names === '') return;
    for (const name of names.split(','))
      actions.push({
        action: `${prefix}:${name}`,
        service: prefix,
        accessLevel: ACCESS_LEVELS[level]!,
      });
  });
  const byLowerName = new Map(
    actions.map((a) => [a.action.slice(prefix.length + 1).toLowerCase(), a]),
  );
  const built = { actions, byLowerName };
  catalog.set(prefix, built);
  return built;
}

/** Every service's index, for patterns whose service part is a wildcard. */
const allServices = (): Service[] =>
  Object.keys(IAM_ACTIONS).map((prefix) => serviceIndex(prefix)!);

export function serviceExists(service: string): boolean {
  return Object.hasOwn(IAM_ACTIONS, service.toLowerCase());
}

/** The catalog entry for an exact action name, matched case-insensitively as IAM does. */
export function lookupAction(action: string): ActionInfo | undefined {
  const [prefix, name, ...rest] = action.split(':');
  if (name === undefined || rest.length > 0) return undefined;
  return serviceIndex(prefix!.toLowerCase())?.byLowerName.get(name.toLowerCase());
}

/**
 * Every known action an action pattern grants (`s3:GetObject`, `s3:Get*`, `ec2:*`, `*`).
 * A pattern that names nothing known is an error, with the nearest known name as a hint:
 * IAM would accept it silently and grant nothing, which is never what the requester meant.
 */
export function expandAction(pattern: string, path = ''): Result<ActionInfo[]> {
  if (pattern === '*') return ok(allServices().flatMap((s) => s.actions));
  const [service, name, ...rest] = pattern.split(':');
  if (!service || !name || rest.length > 0)
    return fail([
      error(path, `\`${pattern}\` is not an action: write service:Action, e.g. s3:GetObject`),
    ]);
  if (hasWildcard(service)) return expandAcrossServices(pattern, path);

  const known = serviceIndex(service.toLowerCase());
  if (!known) return fail([error(path, unknownService(service, name))]);
  if (!hasWildcard(name)) {
    const info = known.byLowerName.get(name.toLowerCase());
    if (info) return ok([info]);
    return fail([error(path, unknownAction(pattern, service.toLowerCase(), name, known))]);
  }
  const re = globToRegExp(name, true);
  const matches = known.actions.filter((a) => re.test(a.action.slice(a.service.length + 1)));
  if (matches.length > 0) return ok(matches);
  return fail([error(path, noMatch(pattern, service.toLowerCase(), name, known))]);
}

function expandAcrossServices(pattern: string, path: string): Result<ActionInfo[]> {
  const re = globToRegExp(pattern, true);
  const matches = allServices().flatMap((s) => s.actions.filter((a) => re.test(a.action)));
  return matches.length > 0
    ? ok(matches)
    : fail([error(path, `\`${pattern}\` matches no known action`)]);
}

const hint = (suggestion: string | undefined): string =>
  suggestion === undefined ? '' : `: did you mean \`${suggestion}\`?`;

function unknownService(service: string, name: string): string {
  const suggested = nearest(service, Object.keys(IAM_ACTIONS));
  const full = suggested && !hasWildcard(name) ? lookupAction(`${suggested}:${name}`) : undefined;
  return `unknown service prefix \`${service}\` in \`${service}:${name}\`${hint(full?.action ?? suggested)}`;
}

function unknownAction(pattern: string, service: string, name: string, known: Service): string {
  const names = known.actions.map((a) => a.action.slice(service.length + 1));
  const suggested = nearest(name, names);
  return `unknown action \`${pattern}\`${hint(suggested && `${service}:${suggested}`)}`;
}

/** For `s3:Gte*`, suggest the nearest real prefix of the same length: `s3:Get*`. */
function noMatch(pattern: string, service: string, name: string, known: Service): string {
  const literal = name.split(/[*?]/)[0]!;
  const prefixes = new Set(
    known.actions.map((a) =>
      a.action.slice(service.length + 1, service.length + 1 + literal.length),
    ),
  );
  const suggested = literal === '' ? undefined : nearest(literal, prefixes);
  const rewritten = suggested && `${service}:${suggested}${name.slice(literal.length)}`;
  return `\`${pattern}\` matches no ${service} action${hint(rewritten)}`;
}

/**
 * How an action is written into a policy: exact names get AWS's casing (`S3:getobject` becomes
 * `s3:GetObject`); wildcard patterns keep their casing except the service prefix.
 */
export function canonicalAction(pattern: string): string {
  const known = lookupAction(pattern);
  if (known) return known.action;
  const colon = pattern.indexOf(':');
  return colon < 0 ? pattern : pattern.slice(0, colon).toLowerCase() + pattern.slice(colon);
}
