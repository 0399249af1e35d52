/**
 * jit.config.yaml → JitConfig: safe YAML, the config JSON Schema, then the cross-checks a schema
 * cannot express (principal ARNs in the right account, durations within the defaults, a ticket
 * pattern that compiles). Every problem carries the file, path, line and column.
 */
import type {
  Account,
  CloudTrailAthena,
  GrantBackend,
  IdentityCenter,
  JitConfig,
  Profile,
} from '../domain.js';
import { error, fail, ok, type Problem, type Result } from '../problem.js';
import { locate } from '../yaml/locate.js';
import { parseYaml } from '../yaml/parse.js';
import { childIndex, childKey } from '../yaml/path.js';
import { nearest } from '../text/nearest.js';
import { formatDuration, MAX_CHAIN_MINUTES, parseDuration } from './duration.js';
import { statement } from './statement.js';
import { applyTemplate, reservedSsoRole, templatePlaceholders } from './principal-template.js';
import { schemaCheck } from './schema-errors.js';
import { config as configValidator } from './validators/config.generated.js';
import { statementFindings, textFindings } from '../policy/text.js';
import type { YamlDoc } from '../yaml/parse.js';

const checkSchema = schemaCheck(configValidator);
const ARN_ACCOUNT = /^arn:[^:]+:iam::(\d{12}):/;

/**
 * What a config that leaves a block out gets; docs/configuration.md lists them and why. Each is
 * the stricter choice where there is one: an hour (the session AWS gives a role by default), no
 * custom permissions, a high-risk request needing one more approval, no ticket asked for.
 */
const CONFIG_DEFAULTS = {
  maxDuration: '1h',
  approvals: 1,
  runbook: 'runbooks/requester-context.yaml',
  custom: { allowed: false },
  highRisk: { policy: 'extra-approval', extraApprovals: 1 },
  ticket: { required: false },
} as const;

/** The config as written, after the schema has passed. */
interface RawConfig {
  defaults?: { maxDuration?: string; approvals?: number; runbook?: string };
  accounts: Record<
    string,
    {
      id: string;
      brokerRole: string;
      runbookRole?: string;
      regions: string[];
      cloudtrail?: { athena: CloudTrailAthena };
      backend?: GrantBackend;
      principalTemplate?: string;
    }
  >;
  principals: Record<string, Record<string, string>>;
  people?: string[];
  principalTemplate?: string;
  identityCenter?: Omit<IdentityCenter, 'users'> & { users?: Record<string, string> };
  profiles: Record<
    string,
    {
      description: string;
      statements: unknown[];
      maxDuration?: string;
      maxChain?: string;
      approvals?: number;
      approvers?: string[];
      requesters?: string[];
      accounts?: string[];
      breakGlass?: { retroReviewWithin: string };
    }
  >;
  custom?: {
    allowed: boolean;
    approvals?: number;
    approvers?: string[];
    maxDuration?: string;
    maxChain?: string;
  };
  denyActions?: string[];
  highRisk?: { policy?: 'deny' | 'extra-approval'; extraApprovals?: number };
  ticket?: { required?: boolean; pattern?: string };
  lifecycle?: { remindBefore?: string | false; closeUnmergedAfterDays?: number };
}

/** Defaults for the sweep's reminders and tidiness (docs/decisions/023-reminders-and-tidiness.md). */
export const LIFECYCLE_DEFAULTS = { remindBeforeMinutes: 60, closeUnmergedAfterDays: 14 } as const;

/**
 * Every problem of the config in one pass: the schema's, and the cross-checks run on every part
 * the schema found well-formed (an account, a principal, a profile, a field of a block), so a
 * bad principal ARN does not hide an unknown account in a profile. Sorted by line.
 */
export function parseConfig(text: string, file: string): Result<JitConfig> {
  const parsed = parseYaml(text);
  if (!parsed.ok) return fail(parsed.problems.map((p) => ({ ...p, file })));
  const doc = parsed.value;
  const lookalikes = textProblems(doc);
  // A look-alike names the code point; the schema's pattern message at the same path adds nothing.
  const textPaths = new Set(lookalikes.map((p) => p.path));
  const schemaProblems = checkSchema(doc).filter((p) => !textPaths.has(p.path));
  const early = [...schemaProblems, ...lookalikes];
  const root = doc.value;
  // Not a mapping, or past the problem cap (some problems unnamed): nothing can be read part by part.
  if (early.length > 0 && (!isMapping(root) || early.some((p) => p.code === 'TOO_MANY_PROBLEMS')))
    return fail(early.map((p) => locate(p, doc, file)));
  const usable: Usable =
    early.length > 0 && isMapping(root)
      ? usableParts(root, early)
      : { raw: root as RawConfig, malformed: new Set() };
  const built = buildConfig(usable);
  const problems = [...early, ...built.problems].map((p) => locate(p, doc, file));
  if (problems.length > 0 || !built.config) return fail(sortByLine(problems));
  return ok(built.config);
}

/** The parts of a config the schema found well-formed, and the paths of those it did not. */
interface Usable {
  raw: RawConfig;
  /** Left out: `accounts.<alias>`, `profiles.<name>`, `defaults.maxDuration`, `identityCenter`, … */
  malformed: ReadonlySet<string>;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether `path` is `unit` or lies inside it. */
const within = (path: string, unit: string): boolean =>
  path === unit || path.startsWith(`${unit}.`) || path.startsWith(`${unit}[`);

/** Blocks read field by field: a malformed field is left out, its neighbours are still checked. */
const BLOCKS = new Set(['defaults', 'custom', 'highRisk', 'ticket', 'lifecycle']);
/** Maps read entry by entry: a malformed account or profile is left out, the others checked. */
const MAPS = new Set(['accounts', 'profiles']);

/**
 * The config without the parts a problem points into. What is left has the shape the schema
 * promises, so the cross-checks can run on it; a check that would need a left-out part is
 * skipped (see `malformed`), never run as if the part were absent.
 */
function usableParts(root: Record<string, unknown>, problems: Problem[]): Usable {
  const malformed = new Set<string>();
  const touched = (unit: string): boolean => problems.some((p) => within(p.path, unit));
  const exactly = (unit: string): boolean => problems.some((p) => p.path === unit);
  /** The entries of a mapping no problem points into; the others are named malformed. */
  const entriesOf = (path: string, value: unknown): Record<string, unknown> | undefined => {
    if (!isMapping(value) || exactly(path)) {
      malformed.add(path);
      return isMapping(value) && MAPS.has(path) ? {} : undefined;
    }
    const kept = record<unknown>();
    for (const [key, child] of Object.entries(value)) {
      const at = childKey(path, key);
      if (touched(at)) malformed.add(at);
      else kept[key] = child;
    }
    return kept;
  };
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(root)) {
    if (MAPS.has(key)) {
      raw[key] = isMapping(value) ? entriesOf(key, { ...value }) : undefined;
      if (!isMapping(value)) malformed.add(key);
    } else if (BLOCKS.has(key)) {
      const kept = entriesOf(key, value);
      if (kept) raw[key] = kept;
    } else if (key === 'principals') {
      const logins = isMapping(value) ? value : undefined;
      if (!logins) malformed.add(key);
      const kept = record<unknown>();
      for (const [login, byAccount] of Object.entries(logins ?? {})) {
        const entries = entriesOf(childKey(key, login), byAccount);
        if (entries) kept[login] = entries;
      }
      raw[key] = kept;
    } else if (touched(key)) {
      malformed.add(key);
    } else {
      raw[key] = value;
    }
  }
  // A missing map is reported at the root; the checks that look names up in it are skipped.
  for (const key of ['accounts', 'principals', 'profiles']) {
    if (isMapping(raw[key])) continue;
    raw[key] = {};
    malformed.add(key);
  }
  return { raw: raw as unknown as RawConfig, malformed };
}

function sortByLine(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}

/** The cross-checks a schema cannot express, and the config they leave when none fails. */
function buildConfig({ raw, malformed }: Usable): { problems: Problem[]; config?: JitConfig } {
  const problems: Problem[] = [];
  /** An account alias the config has, or one whose entry was left out (not to be called unknown). */
  const accountLeftOut = (alias: string): boolean =>
    malformed.has('accounts') || malformed.has(childKey('accounts', alias));
  const duration = (path: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const parsedDuration = parseDuration(text);
    if (parsedDuration.ok) return parsedDuration.value;
    problems.push(...parsedDuration.problems.map((p) => ({ ...p, path })));
    return fallback;
  };

  // A chain shorter than one grant could never be extended: say so rather than refuse every extension.
  const chain = (path: string, text: string | undefined, max: number): number | undefined => {
    if (text === undefined) return undefined;
    const parsedChain = parseDuration(text, { minutes: MAX_CHAIN_MINUTES, of: 'a chain' });
    if (!parsedChain.ok) {
      problems.push(...parsedChain.problems.map((p) => ({ ...p, path })));
      return undefined;
    }
    if (parsedChain.value < max)
      problems.push(
        error(
          path,
          `${formatDuration(parsedChain.value)} is shorter than the maxDuration (${formatDuration(max)}): a chain holds at least one grant`,
        ),
      );
    return parsedChain.value;
  };

  const defaults = raw.defaults ?? {};
  const maxDuration = duration(
    'defaults.maxDuration',
    defaults.maxDuration ?? CONFIG_DEFAULTS.maxDuration,
    0,
  );
  const defaultUnknown = malformed.has('defaults') || malformed.has('defaults.maxDuration');
  const withinDefault = (path: string, minutes: number): void => {
    if (defaultUnknown) return;
    if (maxDuration > 0 && minutes > maxDuration) {
      const which =
        defaults.maxDuration === undefined
          ? `defaults.maxDuration (${formatDuration(maxDuration)} when not set)`
          : `defaults.maxDuration (${formatDuration(maxDuration)})`;
      problems.push(
        error(
          path,
          `${formatDuration(minutes)} is longer than ${which}: lower it or raise the default`,
        ),
      );
    }
  };

  const accounts = record<Account>();
  for (const [alias, account] of Object.entries(raw.accounts)) {
    checkArnAccount(
      problems,
      childKey(childKey('accounts', alias), 'brokerRole'),
      account.brokerRole,
      account.id,
      alias,
    );
    if (account.runbookRole !== undefined) {
      checkArnAccount(
        problems,
        childKey(childKey('accounts', alias), 'runbookRole'),
        account.runbookRole,
        account.id,
        alias,
      );
    }
    const athena = account.cloudtrail?.athena;
    if (athena)
      checkAthena(
        problems,
        childKey(childKey('accounts', alias), 'cloudtrail'),
        athena,
        alias,
        account.regions,
      );
    const backend = account.backend ?? 'iam';
    checkBackend(problems, alias, account, raw, malformed);
    accounts[alias] = {
      alias,
      id: account.id,
      brokerRole: account.brokerRole,
      ...(backend === 'iam' ? {} : { backend }),
      ...(account.principalTemplate === undefined
        ? {}
        : { principalTemplate: account.principalTemplate }),
      ...(account.runbookRole === undefined ? {} : { runbookRole: account.runbookRole }),
      regions: [...account.regions],
      ...(athena
        ? {
            cloudtrail: {
              athena: {
                database: athena.database,
                table: athena.table,
                region: athena.region,
                ...(athena.workgroup === undefined ? {} : { workgroup: athena.workgroup }),
                ...(athena.outputLocation === undefined
                  ? {}
                  : { outputLocation: athena.outputLocation }),
              },
            },
          }
        : {}),
    };
  }

  const principals = record<Record<string, string>>();
  for (const [login, byAccount] of Object.entries(raw.principals)) {
    principals[login] = record<string>();
    for (const [alias, arn] of Object.entries(byAccount)) {
      const path = childKey(childKey('principals', login), alias);
      const account = accounts[alias];
      if (!account && accountLeftOut(alias)) continue;
      if (!account) {
        problems.push(
          error(
            path,
            `unknown account "${alias}": principals must use an alias from accounts (${Object.keys(accounts).join(', ')})`,
          ),
        );
        continue;
      }
      if (account.backend === 'identity-center') {
        problems.push(
          error(
            path,
            `${alias} grants through Identity Center (backend: identity-center), which takes no IAM principal: remove this line and name ${login}'s Identity Center user in identityCenter.users`,
          ),
        );
        continue;
      }
      checkArnAccount(problems, path, arn, account.id, alias);
      checkNotReservedSso(problems, path, arn, alias);
      (principals[login] as Record<string, string>)[alias] = arn;
    }
  }
  checkTemplates(problems, raw, accounts);
  const identityCenter = raw.identityCenter && identityCenterOf(raw.identityCenter);

  const approvals = defaults.approvals ?? CONFIG_DEFAULTS.approvals;
  const profiles = record<Profile>();
  for (const [name, profile] of Object.entries(raw.profiles)) {
    const path = childKey('profiles', name);
    const profileMax = duration(childKey(path, 'maxDuration'), profile.maxDuration, maxDuration);
    withinDefault(childKey(path, 'maxDuration'), profileMax);
    const profileChain = chain(childKey(path, 'maxChain'), profile.maxChain, profileMax);
    profiles[name] = {
      name,
      description: profile.description,
      statements: profile.statements.map(statement),
      maxDurationMinutes: profileMax,
      ...(profileChain === undefined ? {} : { maxChainMinutes: profileChain }),
      approvals: profile.approvals ?? approvals,
      approvers: [...(profile.approvers ?? [])],
      ...(profile.requesters ? { requesters: [...profile.requesters] } : {}),
      ...(profile.accounts ? { accounts: [...profile.accounts] } : {}),
    };
    if (profile.breakGlass) {
      const breakGlass = breakGlassOf(path, profile.breakGlass, profileMax, problems);
      if (breakGlass) profiles[name] = { ...profiles[name]!, breakGlass };
    }
    profile.accounts?.forEach((alias, i) => {
      if (Object.hasOwn(raw.accounts, alias) || accountLeftOut(alias)) return;
      const guess = nearest(alias, Object.keys(raw.accounts));
      problems.push(
        error(
          childIndex(childKey(path, 'accounts'), i),
          `unknown account "${alias}": ${guess ? `did you mean "${guess}"?` : `use one of ${Object.keys(raw.accounts).join(', ')}`}`,
        ),
      );
    });
  }

  const custom: NonNullable<RawConfig['custom']> = raw.custom ?? CONFIG_DEFAULTS.custom;
  const customMax = duration('custom.maxDuration', custom.maxDuration, maxDuration);
  withinDefault('custom.maxDuration', customMax);
  // A chain is measured against its own maxDuration: unknown when that was left out.
  const customChain = malformed.has('custom.maxDuration')
    ? undefined
    : chain('custom.maxChain', custom.maxChain, customMax);

  const ticket = { ...CONFIG_DEFAULTS.ticket, ...raw.ticket };
  if (ticket.pattern !== undefined) {
    try {
      new RegExp(ticket.pattern, 'u');
    } catch (e) {
      problems.push(
        error('ticket.pattern', `is not a valid regular expression: ${(e as Error).message}`),
      );
    }
  }

  const remindBefore = raw.lifecycle?.remindBefore;
  const lifecycle = {
    remindBeforeMinutes:
      remindBefore === false
        ? 0
        : duration('lifecycle.remindBefore', remindBefore, LIFECYCLE_DEFAULTS.remindBeforeMinutes),
    closeUnmergedAfterDays:
      raw.lifecycle?.closeUnmergedAfterDays ?? LIFECYCLE_DEFAULTS.closeUnmergedAfterDays,
  };

  if (problems.length > 0 || malformed.size > 0) return { problems };
  const config: JitConfig = {
    version: 1,
    defaults: {
      maxDurationMinutes: maxDuration,
      approvals,
      runbook: defaults.runbook ?? CONFIG_DEFAULTS.runbook,
    },
    accounts,
    principals,
    ...(raw.people === undefined ? {} : { people: [...raw.people] }),
    ...(raw.principalTemplate === undefined ? {} : { principalTemplate: raw.principalTemplate }),
    ...(identityCenter ? { identityCenter } : {}),
    profiles,
    custom: {
      allowed: custom.allowed,
      approvals: custom.approvals ?? approvals,
      approvers: [...(custom.approvers ?? [])],
      maxDurationMinutes: customMax,
      ...(customChain === undefined ? {} : { maxChainMinutes: customChain }),
    },
    denyActions: [...(raw.denyActions ?? [])],
    highRisk: {
      policy: raw.highRisk?.policy ?? CONFIG_DEFAULTS.highRisk.policy,
      extraApprovals: raw.highRisk?.extraApprovals ?? CONFIG_DEFAULTS.highRisk.extraApprovals,
    },
    ticket:
      ticket.pattern === undefined
        ? { required: ticket.required }
        : { required: ticket.required, pattern: ticket.pattern },
    lifecycle,
  };
  return { problems, config };
}

const entries = (value: unknown): [string, unknown][] =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];

/**
 * Hidden and look-alike characters (src/text/lookalike.ts) in what reaches a policy or decides
 * who may approve: profile statements, principal ARNs, and the names that select them.
 */
function textProblems(doc: YamlDoc): Problem[] {
  const root = doc.value as Record<string, unknown> | null;
  const { findings, check } = textFindings();
  const names = (path: string, list: unknown) => {
    if (Array.isArray(list)) list.forEach((v, i) => check(childIndex(path, i), v, 'identifier'));
  };
  for (const [alias] of entries(root?.accounts))
    check(childKey('accounts', alias), alias, 'identifier', true);
  for (const [login, byAccount] of entries(root?.principals)) {
    const path = childKey('principals', login);
    check(path, login, 'identifier', true);
    for (const [alias, arn] of entries(byAccount)) {
      check(childKey(path, alias), alias, 'identifier', true);
      check(childKey(path, alias), arn, 'identifier');
    }
  }
  for (const [alias, account] of entries(root?.accounts)) {
    const template = (account as Record<string, unknown> | null)?.principalTemplate;
    check(childKey(childKey('accounts', alias), 'principalTemplate'), template, 'identifier');
  }
  names('people', root?.people);
  check('principalTemplate', root?.principalTemplate, 'identifier');
  const ic = root?.identityCenter as Record<string, unknown> | undefined;
  check('identityCenter.userName', ic?.userName, 'identifier');
  for (const [login, userName] of entries(ic?.users)) {
    const path = childKey('identityCenter.users', login);
    check(path, login, 'identifier', true);
    check(path, userName, 'identifier');
  }
  for (const [name, profile] of entries(root?.profiles)) {
    const path = childKey('profiles', name);
    check(path, name, 'identifier', true);
    const { statements, approvers } = (profile ?? {}) as Record<string, unknown>;
    if (Array.isArray(statements))
      statements.forEach((s, i) =>
        statementFindings(s, childIndex(childKey(path, 'statements'), i), check),
      );
    names(childKey(path, 'approvers'), approvers);
  }
  names('custom.approvers', (root?.custom as Record<string, unknown> | undefined)?.approvers);
  names('denyActions', root?.denyActions);
  return findings.map((f) =>
    error(f.path, f.message, f.key ? doc.keyPosition(f.path) : doc.position(f.path)),
  );
}

/** Lookups by user-supplied names (`account: constructor`) must never reach Object.prototype. */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * The Athena block: queried in one of the account's regions (the broker's permissions are
 * deployed for it), with somewhere for the results to go.
 */
function checkAthena(
  problems: Problem[],
  path: string,
  athena: CloudTrailAthena,
  alias: string,
  regions: string[],
): void {
  const at = childKey(path, 'athena');
  if (!regions.includes(athena.region)) {
    problems.push(
      error(
        childKey(at, 'region'),
        `${athena.region} is not one of ${alias}'s regions (${regions.join(', ')}): query Athena where the account works, or add the region to regions`,
      ),
    );
  }
  if (athena.outputLocation === undefined && athena.workgroup === undefined) {
    problems.push(
      error(
        at,
        'has neither outputLocation nor workgroup: Athena needs somewhere to write results (the primary workgroup has none): add outputLocation: s3://bucket/prefix/, or a workgroup that sets one',
      ),
    );
  }
}

function checkArnAccount(
  problems: Problem[],
  path: string,
  arn: string,
  id: string,
  alias: string,
): void {
  const inArn = ARN_ACCOUNT.exec(arn)?.[1];
  if (inArn !== undefined && inArn !== id) {
    problems.push(
      error(
        path,
        `${arn} is in account ${inArn}, but ${alias} is account ${id}: use an ARN from ${id}`,
      ),
    );
  }
}

function identityCenterOf(raw: NonNullable<RawConfig['identityCenter']>): IdentityCenter {
  const users = record<string>();
  for (const [login, userName] of Object.entries(raw.users ?? {})) users[login] = userName;
  return {
    instanceArn: raw.instanceArn,
    identityStoreId: raw.identityStoreId,
    region: raw.region,
    brokerRole: raw.brokerRole,
    users,
    ...(raw.userName === undefined ? {} : { userName: raw.userName }),
  };
}

/** An identity-center account needs the instance, and names people there, not IAM principals. */
function checkBackend(
  problems: Problem[],
  alias: string,
  account: RawConfig['accounts'][string],
  raw: RawConfig,
  malformed: ReadonlySet<string>,
): void {
  if (account.backend !== 'identity-center') return;
  const path = childKey('accounts', alias);
  if (!raw.identityCenter && !malformed.has('identityCenter')) {
    problems.push(
      error(
        childKey(path, 'backend'),
        "identity-center needs the identityCenter block at the top level (instanceArn, identityStoreId, region, brokerRole) and the people's user names (identityCenter.users or identityCenter.userName)",
      ),
    );
  }
  if (account.principalTemplate !== undefined) {
    problems.push(
      error(
        childKey(path, 'principalTemplate'),
        `${alias} grants through Identity Center, which takes no IAM principal: remove principalTemplate (people are named in identityCenter.users or identityCenter.userName)`,
      ),
    );
  }
}

/**
 * A template is checked once where it is written: known placeholders only, a valid IAM user or
 * role ARN once filled in, in the account it serves, and never an Identity Center role.
 */
function checkTemplates(
  problems: Problem[],
  raw: RawConfig,
  accounts: Record<string, Account>,
): void {
  const check = (path: string, template: string, allowed: string[]): boolean => {
    const unknown = templatePlaceholders(template).filter((p) => !allowed.includes(p));
    if (unknown.length === 0) return true;
    problems.push(
      error(
        path,
        `unknown placeholder ${unknown.map((p) => `{${p}}`).join(', ')}: use ${allowed.map((p) => `{${p}}`).join(' and ')}`,
      ),
    );
    return false;
  };
  const sample = (account: Account, template: string) =>
    applyTemplate(template, { login: 'octocat', accountId: account.id });
  const topLevel = raw.principalTemplate;
  if (topLevel !== undefined && check('principalTemplate', topLevel, ['login', 'accountId'])) {
    const users = Object.values(accounts).filter(
      (a) => a.backend === undefined && a.principalTemplate === undefined,
    );
    const first = users[0];
    if (first)
      checkNotReservedSso(problems, 'principalTemplate', sample(first, topLevel), first.alias);
    const elsewhere = users.find((a) => ARN_ACCOUNT.exec(sample(a, topLevel))?.[1] !== a.id);
    if (elsewhere) {
      problems.push(
        error(
          'principalTemplate',
          `names account ${ARN_ACCOUNT.exec(topLevel)?.[1] ?? '?'}, but ${elsewhere.alias} is account ${elsewhere.id}: write {accountId} where the account id goes`,
        ),
      );
    }
  }
  for (const account of Object.values(accounts)) {
    if (account.principalTemplate === undefined) continue;
    const path = childKey(childKey('accounts', account.alias), 'principalTemplate');
    if (!check(path, account.principalTemplate, ['login', 'accountId'])) continue;
    const arn = sample(account, account.principalTemplate);
    checkArnAccount(problems, path, arn, account.id, account.alias);
    checkNotReservedSso(problems, path, arn, account.alias);
  }
  const userName = raw.identityCenter?.userName;
  if (userName !== undefined) check('identityCenter.userName', userName, ['login']);
}

/**
 * AWSReservedSSO_* roles belong to Identity Center: AWS refuses changes to them, and everyone
 * with the permission set assumes the same role, so a grant on it would reach all of them.
 */
function checkNotReservedSso(problems: Problem[], path: string, arn: string, alias: string): void {
  if (!reservedSsoRole(arn)) return;
  problems.push({
    ...error(
      path,
      `${arn} is an IAM Identity Center role (AWSReservedSSO_*): AWS protects it and everyone with its permission set shares it, so jit-access cannot grant one person access through it. Use the Identity Center backend: set accounts.${alias}.backend: identity-center and name the person in identityCenter.users`,
    ),
    code: 'SSO_RESERVED_ROLE',
  });
}

/** A break-glass grant is taken without an approver: it is kept short (decision 026). */
export const BREAK_GLASS_MAX_MINUTES = 60;
const RETRO_MIN_MINUTES = 10;
const RETRO_MAX_MINUTES = 7 * 24 * 60;
const UNIT_MINUTES = { m: 1, h: 60, d: 24 * 60 } as const;

function breakGlassOf(
  path: string,
  raw: { retroReviewWithin: string },
  maxDurationMinutes: number,
  problems: Problem[],
): Profile['breakGlass'] {
  const before = problems.length;
  if (maxDurationMinutes > BREAK_GLASS_MAX_MINUTES) {
    problems.push(
      error(
        childKey(path, 'maxDuration'),
        `a break-glass profile may grant ${formatDuration(BREAK_GLASS_MAX_MINUTES)} at most, and this one allows ${formatDuration(maxDurationMinutes)}: set maxDuration: 1h or less`,
      ),
    );
  }
  const at = childKey(childKey(path, 'breakGlass'), 'retroReviewWithin');
  const m = /^\s*(\d+)([dhm])\s*$/.exec(raw.retroReviewWithin);
  const minutes = m ? Number(m[1]) * UNIT_MINUTES[m[2] as keyof typeof UNIT_MINUTES] : NaN;
  if (!(minutes >= RETRO_MIN_MINUTES && minutes <= RETRO_MAX_MINUTES)) {
    problems.push(
      error(at, `"${raw.retroReviewWithin.trim()}" must be between 10m and 7d, e.g. 24h`),
    );
  }
  return problems.length === before ? { retroReviewWithinMinutes: minutes } : undefined;
}
