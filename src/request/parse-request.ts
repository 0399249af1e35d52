/**
 * A request file `requests/<id>.yaml` → AccessRequest: safe YAML, the JSON Schema editors use,
 * then the checks a schema cannot express. Every problem carries the file, path, line and column.
 */
import type { AccessRequest, PermissionStatement } from '../domain.js';
import { error, fail, ok, type Problem, type Result } from '../problem.js';
import { locate as locateIn } from '../yaml/locate.js';
import { parseYaml, type YamlDoc } from '../yaml/parse.js';
import { childIndex, childKey } from '../yaml/path.js';
import { show } from '../yaml/show.js';
import { parseDuration } from './duration.js';
import { schemaCheck } from './schema-errors.js';
import { request as requestValidator } from './validators/request.generated.js';
import { statement } from './statement.js';
import { hiddenCharacter } from '../text/hidden.js';
import { statementFindings, textFindings } from '../policy/text.js';

export const REQUEST_ID = /^[a-z0-9][a-z0-9-]{2,63}$/;
/** A problem with its stable code. */
const coded = (code: string, problem: Problem): Problem => ({ ...problem, code });
const checkSchema = schemaCheck(requestValidator);
/** Condition keys that would fight the grant window, which `duration` and `start` set. */
const TIME_KEYS = new Set(['aws:currenttime', 'aws:epochtime']);

export interface ParsedRequest {
  request: AccessRequest;
  doc: YamlDoc;
  /** Gives a later problem (resolution, policy lint) this file and the line of its path. */
  locate: (problem: Problem) => Problem;
}

export function parseRequest(text: string, file: string): Result<AccessRequest> {
  const parsed = parseRequestDocument(text, file);
  return parsed.ok ? ok(parsed.value.request) : parsed;
}

/**
 * A request file read as far as it can be: its problems, and every field that is well-formed,
 * so the config checks can still run on those (one push shows every mistake, not the first few).
 */
export interface RequestDraft {
  /** Located and sorted by line. */
  problems: Problem[];
  /** Absent when the YAML itself could not be read. */
  doc?: YamlDoc;
  locate: (problem: Problem) => Problem;
  /** The well-formed fields; a statement's malformed actions or resources are left empty. */
  fields: Partial<AccessRequest>;
  /** Top-level fields that were written but have problems of their own. */
  malformed: ReadonlySet<keyof AccessRequest>;
  /**
   * Statements (indexes into `fields.permissions`) whose resource list was not read, and so is
   * empty: nothing may be concluded from its emptiness (that an action acts on none of them).
   */
  resourcesUnread: ReadonlySet<number>;
  /** The whole request, when there are no problems. */
  request?: AccessRequest;
}

export function parseRequestDocument(text: string, file: string): Result<ParsedRequest> {
  const draft = draftRequest(text, file);
  if (!draft.request || !draft.doc) return fail(draft.problems);
  return ok({ request: draft.request, doc: draft.doc, locate: draft.locate });
}

export function draftRequest(text: string, file: string): RequestDraft {
  const idProblems = checkFileName(file);
  const parsed = parseYaml(text);
  if (!parsed.ok)
    return {
      problems: [...idProblems, ...parsed.problems].map((p) => ({ ...p, file })),
      locate: (p) => ({ ...p, file }),
      fields: {},
      malformed: new Set(),
      resourcesUnread: new Set(),
    };
  const doc = parsed.value;
  const located = (p: Problem): Problem => locateIn(p, doc, file);

  const fields = doc.value as Record<string, unknown>;
  // parseDuration explains a bad duration (or a number without a unit) better than the schema.
  const durationChecked = ['string', 'number'].includes(typeof fields?.duration);
  const lookalikes = textProblems(doc);
  // A look-alike names the code point; the schema's "must be an IAM action" at the same path adds nothing.
  const textPaths = new Set(lookalikes.map((p) => p.path));
  const schemaProblems = checkSchema(doc).filter(
    (p) => !(p.path === 'duration' && durationChecked) && !textPaths.has(p.path),
  );
  const problems = [
    ...idProblems,
    ...schemaProblems,
    ...lookalikes,
    ...semanticProblems(doc, file),
  ].map(located);
  const sorted = sortByLine(problems);
  if (problems.length === 0) {
    const request = build(idOf(file), fields);
    return {
      problems,
      doc,
      locate: located,
      fields: request,
      malformed: new Set(),
      resourcesUnread: new Set(),
      request,
    };
  }
  return { problems: sorted, doc, locate: located, ...wellFormedFields(fields, problems) };
}

const FIELDS = [
  'requester',
  'account',
  'accounts',
  'profile',
  'permissions',
  'duration',
  'start',
  'reason',
  'ticket',
  'extends',
] as const;

/** Whether `path` is `field` or lies inside it. */
const within = (path: string, field: string): boolean =>
  path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);

/**
 * The fields no problem points into, as the domain types them. A problem about the whole file
 * (a missing field, profile and permissions both absent) leaves every written field usable.
 */
function wellFormedFields(
  fields: Record<string, unknown>,
  problems: Problem[],
): Pick<RequestDraft, 'fields' | 'malformed' | 'resourcesUnread'> {
  const wellFormed: Partial<AccessRequest> = {};
  const malformed = new Set<keyof AccessRequest>();
  const resourcesUnread = new Set<number>();
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields))
    return { fields: wellFormed, malformed, resourcesUnread };
  const clean = (path: string): boolean => !problems.some((p) => within(p.path, path));
  for (const field of FIELDS) {
    if (fields[field] === undefined || clean(field)) continue;
    malformed.add(field === 'duration' ? 'durationMinutes' : field);
  }
  const text = (field: (typeof FIELDS)[number]): string | undefined =>
    clean(field) && typeof fields[field] === 'string' ? fields[field] : undefined;
  const requester = text('requester');
  if (requester !== undefined) wellFormed.requester = requester;
  const account = text('account');
  if (account !== undefined) wellFormed.account = account;
  if (clean('accounts') && Array.isArray(fields.accounts))
    wellFormed.accounts = fields.accounts.map(String);
  const profile = text('profile');
  if (profile !== undefined) wellFormed.profile = profile;
  const reason = text('reason');
  if (reason !== undefined) wellFormed.reason = reason.trim();
  const ticket = text('ticket');
  if (ticket !== undefined) wellFormed.ticket = ticket;
  const extended = text('extends');
  if (extended !== undefined) wellFormed.extends = extended;
  const start = text('start');
  if (start !== undefined) wellFormed.start = parseStart(start);
  if (clean('duration') && ['string', 'number'].includes(typeof fields.duration)) {
    const duration = parseDuration(String(fields.duration));
    if (duration.ok) wellFormed.durationMinutes = duration.value;
  }
  if (Array.isArray(fields.permissions))
    wellFormed.permissions = fields.permissions.map((s: unknown, i) => {
      const path = childIndex('permissions', i);
      const resources = (s as Record<string, unknown> | null)?.resources;
      if (!clean(path) && !(clean(childKey(path, 'resources')) && Array.isArray(resources)))
        resourcesUnread.add(i);
      return partialStatement(s, path, clean);
    });
  return { fields: wellFormed, malformed, resourcesUnread };
}

/** A statement's well-formed action and resource lists; a malformed list is left empty. */
function partialStatement(
  value: unknown,
  path: string,
  clean: (path: string) => boolean,
): PermissionStatement {
  if (clean(path)) return statement(value);
  const raw = (value ?? {}) as Record<string, unknown>;
  const list = (key: string): string[] => {
    const items = raw[key];
    return clean(childKey(path, key)) && Array.isArray(items) ? items.map(String) : [];
  };
  return { actions: list('actions'), resources: list('resources') };
}

function idOf(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.yaml$/, '');
}

function checkFileName(file: string): Problem[] {
  const at = { line: 1, column: 1 };
  const base = file.split(/[\\/]/).pop() ?? file;
  if (!base.endsWith('.yaml')) {
    const fix = base.endsWith('.yml')
      ? `rename it to ${base.slice(0, -4)}.yaml`
      : 'name it requests/<id>.yaml';
    return [coded('FILE_NAME', error('', `request files must end in .yaml: ${fix}`, at))];
  }
  const id = idOf(file);
  if (!REQUEST_ID.test(id)) {
    return [
      coded(
        'FILE_NAME',
        error(
          '',
          `file name ${show(id)} is not a valid request id: use 3 to 64 lowercase letters, digits and hyphens, starting with a letter or digit, e.g. alice-prod-logs.yaml`,
          at,
        ),
      ),
    ];
  }
  return [];
}

/**
 * Hidden and look-alike characters in every string that reaches the policy or names what is
 * granted (src/text/lookalike.ts). The reason is prose: it has its own check below.
 */
function textProblems(doc: YamlDoc): Problem[] {
  const value = doc.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const fields = value as Record<string, unknown>;
  const { findings, check } = textFindings();
  for (const field of ['requester', 'account', 'profile', 'ticket', 'extends'])
    check(field, fields[field], 'identifier');
  if (Array.isArray(fields.accounts))
    fields.accounts.forEach((a: unknown, i) => check(childIndex('accounts', i), a, 'identifier'));
  if (Array.isArray(fields.permissions))
    fields.permissions.forEach((s: unknown, i) =>
      statementFindings(s, childIndex('permissions', i), check),
    );
  return findings.map((f) =>
    coded(
      'CHARACTER_NOT_ALLOWED',
      error(f.path, f.message, f.key ? doc.keyPosition(f.path) : doc.position(f.path)),
    ),
  );
}

/** Checks the schema cannot express; each only looks at fields of the right type. */
function semanticProblems(doc: YamlDoc, file: string): Problem[] {
  const value = doc.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const fields = value as Record<string, unknown>;
  const problems: Problem[] = [];

  const hasProfile = fields.profile !== undefined;
  const hasPermissions = fields.permissions !== undefined;
  if (hasProfile && hasPermissions) {
    problems.push(
      coded(
        'PROFILE_AND_PERMISSIONS',
        error(
          'permissions',
          'give either profile or permissions, not both: a profile already says what is granted',
        ),
      ),
    );
  } else if (!hasProfile && !hasPermissions) {
    problems.push(
      coded(
        'ACCESS_MISSING',
        error(
          '',
          'say what you need: add profile (a name from jit.config.yaml) or permissions (custom statements)',
        ),
      ),
    );
  }

  problems.push(...accountProblems(fields));

  if (typeof fields.duration === 'string' || typeof fields.duration === 'number') {
    const duration = parseDuration(String(fields.duration));
    if (!duration.ok)
      problems.push(
        ...duration.problems.map((p) => coded('DURATION_INVALID', { ...p, path: 'duration' })),
      );
  }

  if (
    typeof fields.start === 'string' &&
    parseStart(fields.start) === undefined &&
    START.test(fields.start)
  ) {
    problems.push(
      coded(
        'START_INVALID',
        error('start', `"${fields.start}" is not a real date and time: check the day and the hour`),
      ),
    );
  }

  if (typeof fields.extends === 'string') problems.push(...extensionProblems(fields, idOf(file)));

  if (typeof fields.reason === 'string') {
    const hidden = hiddenCharacter(fields.reason);
    if (hidden) problems.push(coded('CHARACTER_NOT_ALLOWED', error('reason', `reason ${hidden}`)));
    else if ([...fields.reason].length >= 10 && [...fields.reason.trim()].length < 10)
      problems.push(
        coded('REASON_TOO_SHORT', error('reason', 'reason must say why in at least 10 characters')),
      );
  }

  if (Array.isArray(fields.permissions)) {
    fields.permissions.forEach((written: unknown, i) =>
      problems.push(...timeConditions(written, childIndex('permissions', i))),
    );
  }
  return problems;
}

/**
 * `account` or `accounts`, exactly one (decision 027); an alias named twice would be granted
 * once, so the second is refused where it is written. An extension names one grant in one
 * account: several accounts cannot extend it.
 */
function accountProblems(fields: Record<string, unknown>): Problem[] {
  const hasOne = fields.account !== undefined;
  const hasSeveral = fields.accounts !== undefined;
  if (hasOne && hasSeveral)
    return [
      {
        ...error(
          'accounts',
          'give either account or accounts, not both: list every account under accounts',
        ),
        code: 'ACCOUNT_AND_ACCOUNTS',
      },
    ];
  if (!hasOne && !hasSeveral)
    return [
      error(
        '',
        'say which account: add account (an alias from jit.config.yaml) or accounts (several)',
      ),
    ];
  if (!Array.isArray(fields.accounts)) return [];
  const problems: Problem[] = [];
  const seen = new Set<unknown>();
  fields.accounts.forEach((alias: unknown, i) => {
    if (typeof alias === 'string' && seen.has(alias))
      problems.push({
        ...error(
          childIndex('accounts', i),
          `account ${alias} is named twice: list each account once`,
        ),
        code: 'DUPLICATE_ACCOUNT',
      });
    seen.add(alias);
  });
  if (fields.extends !== undefined && fields.accounts.length > 1)
    problems.push({
      ...error(
        'extends',
        'an extension names one live grant in one account: extend each account with its own request (account:)',
      ),
      code: 'EXTENDS_SEVERAL_ACCOUNTS',
    });
  return problems;
}

/**
 * What an extension can be checked for offline (decision 025): it names another request, and it
 * starts when merged, since its window must begin before the grant it extends ends.
 */
function extensionProblems(fields: Record<string, unknown>, own: string): Problem[] {
  const problems: Problem[] = [];
  if (fields.extends === own)
    problems.push(
      coded(
        'EXTENDS_ITSELF',
        error('extends', `a request cannot extend itself: name the live grant's id`),
      ),
    );
  if (fields.start !== undefined)
    problems.push(
      coded(
        'EXTENSION_START',
        error(
          'start',
          'an extension starts when it is merged, before the grant it extends ends: remove start',
        ),
      ),
    );
  return problems;
}

function timeConditions(statement: unknown, path: string): Problem[] {
  const conditions = (statement as { conditions?: unknown } | null)?.conditions;
  if (conditions === null || typeof conditions !== 'object') return [];
  const problems: Problem[] = [];
  for (const [operator, block] of Object.entries(conditions)) {
    if (block === null || typeof block !== 'object') continue;
    for (const key of Object.keys(block)) {
      if (!TIME_KEYS.has(key.toLowerCase())) continue;
      problems.push(
        coded(
          'TIME_CONDITION',
          error(
            childKey(childKey(childKey(path, 'conditions'), operator), key),
            `${key} conditions are not allowed: the grant window comes from duration and start`,
          ),
        ),
      );
    }
  }
  return problems;
}

type Six = [number, number, number, number, number, number];
const START = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z$/;

/** A UTC timestamp that names a real instant: `2026-02-30T00:00:00Z` does not. */
export function parseStart(text: string): Date | undefined {
  const m = START.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((part) => Number(part ?? 0)) as Six;
  const ms = Number((m[7] ?? '').padEnd(3, '0'));
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  // Date.UTC rolls 30 February over into March; a real date survives the round trip.
  const same =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s;
  return same ? date : undefined;
}

/** The domain value, from fields the checks above have passed. */
function build(id: string, fields: Record<string, unknown>): AccessRequest {
  const duration = parseDuration(fields.duration as string);
  const accounts = Array.isArray(fields.accounts) ? fields.accounts.map(String) : undefined;
  const request: AccessRequest = {
    id,
    requester: fields.requester as string,
    account: accounts ? accounts[0]! : (fields.account as string),
    ...(accounts ? { accounts } : {}),
    durationMinutes: duration.ok ? duration.value : 0,
    reason: (fields.reason as string).trim(),
  };
  if (typeof fields.profile === 'string') request.profile = fields.profile;
  if (Array.isArray(fields.permissions)) request.permissions = fields.permissions.map(statement);
  if (typeof fields.start === 'string') request.start = parseStart(fields.start);
  if (typeof fields.ticket === 'string') request.ticket = fields.ticket;
  if (typeof fields.extends === 'string') request.extends = fields.extends;
  return request;
}

function sortByLine(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}

/**
 * Each account a request names as a request of its own (decision 027): the file's only account,
 * or one per alias of `accounts`, in the order written.
 */
export function targetsOf(request: AccessRequest): AccessRequest[] {
  if (!request.accounts) return [request];
  return request.accounts.map((account) => ({ ...request, account }));
}
