/**
 * A parsed request checked against the config: everything a grant needs, nothing left to look up.
 * Problems carry a path but no line: the request's YAML is not here. Callers that have the file
 * use `parseRequestDocument(...).locate` (or `locate` in src/yaml/locate.ts) to add the line.
 */
import type {
  AccessRequest,
  Account,
  ApprovalRule,
  Grantee,
  JitConfig,
  PermissionStatement,
  Profile,
  ResolvedRequest,
} from '../domain.js';
import { error, fail, ok, type Problem, type Result } from '../problem.js';
import { formatDuration } from './duration.js';
import { nearest } from '../text/nearest.js';
import { applyTemplate } from './principal-template.js';

export const MIN_DURATION_MINUTES = 15;
/** A problem with its stable code. */
const coded = (code: string, problem: Problem): Problem => ({ ...problem, code });
/** Clocks differ: a start this far in the past is still "now". */
export const START_SKEW_MINUTES = 5;
/** Requests are for work that is planned, not parked: a start at most this far ahead. */
export const MAX_START_AHEAD_DAYS = 14;

export function resolveRequest(
  request: AccessRequest,
  config: JitConfig,
  now: Date,
): Result<ResolvedRequest> {
  const { problems, account, grantee, grant } = examine(request, new Set(), config, now);
  if (problems.length > 0 || !account || grantee === undefined || !grant) return fail(problems);
  const resolved: ResolvedRequest = {
    request,
    account,
    principalArn: grantee.backend === 'iam' ? grantee.principalArn : grantee.userName,
    grantee,
    statements: grant.statements,
    durationMinutes: request.durationMinutes,
    approvals: grant.approvals,
  };
  if (request.profile !== undefined) resolved.profile = request.profile;
  if (grant.requesterTeams) resolved.requesterTeams = grant.requesterTeams;
  return ok(resolved);
}

/** What the config says about the fields of a request that has problems elsewhere. */
export interface FieldCheck {
  problems: Problem[];
  /** What would be granted, when the profile is known or the custom statements were given. */
  statements?: PermissionStatement[];
  /** The account, when the request names one the config has. */
  account?: Account;
  /** Who would approve it, as far as what is granted is known. */
  approvals?: Approvals;
}

/** An approval rule and where jit.config.yaml sets it, for a warning to point there. */
export interface Approvals {
  rule: ApprovalRule;
  /** `profiles.<name>.approvers` or `custom.approvers`. */
  setAt: string;
}

/**
 * Every config check whose fields are well-formed, so a request with a schema error still
 * learns about its unknown account or over-long duration in the same pass. A `malformed` field
 * was written but is wrong on its own terms: its checks are skipped, never run as if it were absent.
 */
export function checkFields(
  fields: Partial<AccessRequest>,
  malformed: ReadonlySet<keyof AccessRequest>,
  config: JitConfig,
  now: Date,
): FieldCheck {
  const { problems, grant, account } = examine(fields, malformed, config, now);
  return {
    problems,
    ...(account ? { account } : {}),
    ...(grant
      ? {
          statements: grant.statements,
          approvals: { rule: grant.approvals, setAt: grant.approversAt },
        }
      : {}),
  };
}

/**
 * `account: 012345678912` unquoted: YAML reads a number (dropping a leading zero). The alias is
 * the fix the config wants, so it leads; quoting the id is the other.
 */
export function numericAccount(raw: string, config: JitConfig): string {
  const digits = raw.replace(/^0o/i, '');
  const byId = Object.values(config.accounts).find((a) => a.id === digits);
  const read = String(Number(raw.startsWith('0o') ? Number.parseInt(digits, 8) : raw));
  const lost = read === raw ? '' : ` (${raw} becomes ${read})`;
  const aliases = Object.keys(config.accounts).join(', ');
  const fix = byId
    ? `use the alias ${byId.alias} from jit.config.yaml (account: ${byId.alias}), or quote the id`
    : `use an account alias from jit.config.yaml (${aliases}), or quote the id`;
  return `${fix}: YAML reads ${raw} as a number${lost}`;
}

interface Examined {
  problems: Problem[];
  account?: Account;
  grantee?: Grantee;
  grant?: Grant;
}

function examine(
  request: Partial<AccessRequest>,
  malformed: ReadonlySet<keyof AccessRequest>,
  config: JitConfig,
  now: Date,
): Examined {
  const problems: Problem[] = [];
  const account =
    request.account === undefined
      ? undefined
      : Object.hasOwn(config.accounts, request.account)
        ? config.accounts[request.account]
        : undefined;
  if (request.account !== undefined && !account)
    problems.push(
      coded('ACCOUNT_UNKNOWN', error('account', unknownAccount(request.account, config))),
    );

  const login =
    request.requester === undefined ? undefined : knownLogin(request.requester, config, problems);
  const grantee =
    account && request.requester !== undefined && login !== undefined
      ? granteeFor(request.requester, login, account, config, problems)
      : undefined;
  const grant =
    request.profile !== undefined || (request.permissions && !malformed.has('permissions'))
      ? whatIsGranted(request, config, problems)
      : undefined;
  if (request.durationMinutes !== undefined)
    checkDuration(request.durationMinutes, grant && limitOf(grant, config), problems);
  checkStart(request.start, now, problems);
  if (!malformed.has('ticket')) checkTicket(request.ticket, config, problems);
  return {
    problems,
    ...(account ? { account } : {}),
    ...(grantee ? { grantee } : {}),
    ...(grant ? { grant } : {}),
  };
}

function unknownAccount(name: string, config: JitConfig): string {
  const aliases = Object.keys(config.accounts);
  const byId = Object.values(config.accounts).find((a) => a.id === name);
  if (byId) return `"${name}" is the id of account ${byId.alias}: write account: ${byId.alias}`;
  const guess = nearest(name, aliases);
  const hint = guess ? `did you mean "${guess}"?` : `use one of ${aliases.join(', ')}`;
  return `unknown account "${name}": ${hint}`;
}

/** The login as the config spells it, or undefined (after saying so) when nobody configured it. */
function knownLogin(requester: string, config: JitConfig, problems: Problem[]): string | undefined {
  const same = (l: string) => l.toLowerCase() === requester.toLowerCase();
  const login =
    Object.keys(config.principals).find(same) ??
    Object.keys(config.identityCenter?.users ?? {}).find(same) ??
    config.people?.find(same);
  if (login === undefined)
    problems.push(
      coded(
        'REQUESTER_UNKNOWN',
        error(
          'requester',
          `${requester} is not in principals in jit.config.yaml (nor in people or identityCenter.users): an admin must add them before they can request access`,
        ),
      ),
    );
  return login;
}

/**
 * Who receives the grant in this account. GitHub logins are case-insensitive, so `Octocat` finds
 * `octocat`; templates are filled with the login as the config spells it. A template applies
 * only to people the config names (principals, identityCenter.users, people): a GitHub login is
 * chosen by its owner and must not choose whose identity it gets.
 */
function granteeFor(
  requester: string,
  login: string,
  account: Account,
  config: JitConfig,
  problems: Problem[],
): Grantee | undefined {
  const ic = config.identityCenter;
  if (account.backend === 'identity-center') {
    const userName =
      ic && Object.hasOwn(ic.users, login)
        ? ic.users[login]
        : ic?.userName !== undefined
          ? applyTemplate(ic.userName, { login })
          : undefined;
    if (!ic || userName === undefined) {
      problems.push(
        coded(
          'REQUESTER_NO_PRINCIPAL',
          error(
            'requester',
            `${requester} has no Identity Center user: account ${account.alias} grants through Identity Center, so an admin must add identityCenter.users.${login} (or identityCenter.userName) to jit.config.yaml`,
          ),
        ),
      );
      return undefined;
    }
    return { backend: 'identity-center', userName, identityCenter: ic };
  }
  const byAccount = Object.hasOwn(config.principals, login) ? config.principals[login] : undefined;
  const template = account.principalTemplate ?? config.principalTemplate;
  const principalArn =
    byAccount && Object.hasOwn(byAccount, account.alias)
      ? byAccount[account.alias]
      : template !== undefined
        ? applyTemplate(template, { login, accountId: account.id })
        : undefined;
  if (principalArn === undefined) {
    problems.push(
      coded(
        'REQUESTER_NO_PRINCIPAL',
        error(
          'requester',
          `${requester} has no IAM principal in account ${account.alias}: an admin must add principals.${login}.${account.alias} (or a principalTemplate) to jit.config.yaml`,
        ),
      ),
    );
    return undefined;
  }
  return { backend: 'iam', principalArn };
}

interface Grant {
  what: string;
  statements: PermissionStatement[];
  maxMinutes: number;
  approvals: ApprovalRule;
  /** Where the config names the approvers. */
  approversAt: string;
  /** See ResolvedRequest.requesterTeams. */
  requesterTeams?: string[];
}

function whatIsGranted(
  request: Partial<AccessRequest>,
  config: JitConfig,
  problems: Problem[],
): Grant | undefined {
  if (request.profile !== undefined) {
    const profile = Object.hasOwn(config.profiles, request.profile)
      ? config.profiles[request.profile]
      : undefined;
    if (!profile) {
      const names = Object.keys(config.profiles);
      const guess = nearest(request.profile, names);
      const hint = guess ? `did you mean "${guess}"?` : `use one of ${names.join(', ')}`;
      problems.push(
        coded('PROFILE_UNKNOWN', error('profile', `unknown profile "${request.profile}": ${hint}`)),
      );
      return undefined;
    }
    const requesterTeams = whoMayRequest(request, profile, problems);
    return {
      what: `profile ${profile.name}`,
      statements: profile.statements,
      maxMinutes: profile.maxDurationMinutes,
      approvals: { required: profile.approvals, approvers: [...profile.approvers] },
      approversAt: `profiles.${profile.name}.approvers`,
      ...(requesterTeams ? { requesterTeams } : {}),
    };
  }
  if (!config.custom.allowed) {
    const names = Object.keys(config.profiles).join(', ');
    problems.push(
      coded(
        'CUSTOM_NOT_ALLOWED',
        error(
          'permissions',
          `custom permissions are not accepted here: request a profile instead (${names})`,
        ),
      ),
    );
    return undefined;
  }
  return {
    what: 'custom.maxDuration for custom permissions',
    statements: request.permissions ?? [],
    maxMinutes: config.custom.maxDurationMinutes,
    approvals: { required: config.custom.approvals, approvers: [...config.custom.approvers] },
    approversAt: 'custom.approvers',
  };
}

/**
 * A profile's own limits on who may request it and for which accounts. Logins are decided here;
 * teams cannot be (membership needs the GitHub API), so they are returned for the grant to check
 * and `jit validate` says so.
 */
function whoMayRequest(
  request: Partial<AccessRequest>,
  profile: Profile,
  problems: Problem[],
): string[] | undefined {
  if (
    profile.accounts &&
    request.account !== undefined &&
    !profile.accounts.includes(request.account)
  ) {
    problems.push({
      ...error(
        'account',
        `profile ${profile.name} may be requested only for ${profile.accounts.join(', ')}, not ${request.account}`,
      ),
      code: 'PROFILE_ACCOUNT_NOT_ALLOWED',
    });
  }
  if (!profile.requesters || request.requester === undefined) return undefined;
  const teams = profile.requesters.filter((r) => r.includes('/'));
  const logins = profile.requesters.filter((r) => !r.includes('/'));
  if (logins.some((l) => l.toLowerCase() === request.requester!.toLowerCase())) return undefined;
  if (teams.length > 0) return teams;
  problems.push({
    ...error(
      'requester',
      `profile ${profile.name} may be requested only by ${logins.join(', ')}: ask one of them, or ask for another profile`,
    ),
    code: 'REQUESTER_NOT_ALLOWED',
  });
  return undefined;
}

interface Limit {
  minutes: number;
  /** Whose limit it is, as the requester can look it up in jit.config.yaml. */
  source: string;
}

/**
 * The limit that applies: the profile's (or custom access's) own, unless the defaults are lower.
 * parseConfig refuses such a config, but a limit is named after whoever set it, never guessed.
 */
function limitOf(grant: Grant, config: JitConfig): Limit {
  const global = config.defaults.maxDurationMinutes;
  if (global < grant.maxMinutes)
    return {
      minutes: global,
      source: `defaults.maxDuration in jit.config.yaml (it caps the ${formatDuration(grant.maxMinutes)} of ${grant.what})`,
    };
  return { minutes: grant.maxMinutes, source: grant.what };
}

/** The minimum holds even when what is granted (and so the maximum) is unknown. */
function checkDuration(minutes: number, max: Limit | undefined, problems: Problem[]): void {
  if (minutes < MIN_DURATION_MINUTES) {
    problems.push(
      coded(
        'DURATION_TOO_SHORT',
        error(
          'duration',
          `${formatDuration(minutes)} is shorter than the ${MIN_DURATION_MINUTES}m minimum`,
        ),
      ),
    );
  } else if (max !== undefined && minutes > max.minutes) {
    problems.push(
      coded(
        'DURATION_TOO_LONG',
        error(
          'duration',
          `${formatDuration(minutes)} is longer than the ${formatDuration(max.minutes)} allowed by ${max.source}: ask for ${formatDuration(max.minutes)} or less`,
        ),
      ),
    );
  }
}

function checkStart(start: Date | undefined, now: Date, problems: Problem[]): void {
  if (!start) return;
  const minute = 60_000;
  if (start.getTime() < now.getTime() - START_SKEW_MINUTES * minute) {
    problems.push(
      coded(
        'START_PAST',
        error(
          'start',
          `${start.toISOString()} is in the past (now is ${now.toISOString()}): remove start to begin when the PR is merged, or pick a later time`,
        ),
      ),
    );
  } else if (start.getTime() > now.getTime() + MAX_START_AHEAD_DAYS * 24 * 60 * minute) {
    problems.push(
      coded(
        'START_TOO_FAR',
        error(
          'start',
          `${start.toISOString()} is more than ${MAX_START_AHEAD_DAYS} days ahead: open the request closer to the time`,
        ),
      ),
    );
  }
}

function checkTicket(ticket: string | undefined, config: JitConfig, problems: Problem[]): void {
  const { required, pattern } = config.ticket;
  if (ticket === undefined) {
    if (required)
      problems.push(
        coded(
          'TICKET_MISSING',
          error(
            'ticket',
            `a ticket is required: add ticket: with the incident or change id${pattern ? ` (matching ${pattern})` : ''}`,
          ),
        ),
      );
    return;
  }
  if (pattern !== undefined && !new RegExp(pattern, 'u').test(ticket)) {
    problems.push(
      coded(
        'TICKET_FORMAT',
        error('ticket', `"${ticket}" does not match the ticket format ${pattern}`),
      ),
    );
  }
}
