import type {
  AccessRequest,
  ApprovalRule,
  GrantWindow,
  JitConfig,
  ResolvedRequest,
} from '../domain.js';
import { fail, ok, type Problem, type Result } from '../problem.js';
import { planPermissionSet, type PermissionSetGrant } from '../aws/permission-set.js';
import { buildPolicy, type BuiltPolicy } from '../policy/build.js';
import { BASELINE_DENY } from '../policy/baseline.js';
import { lintStatements, type PolicyLint } from '../policy/lint.js';
import { foreignResources } from '../policy/reach.js';
import { grantWindow } from '../policy/window.js';
import { unknownApprovers } from '../request/approvers.js';
import { draftRequest, type RequestDraft } from '../request/parse-request.js';
import { childIndex } from '../yaml/path.js';
import { checkFields, numericAccount, resolveRequest } from '../request/resolve.js';

/** What the request verdict says a reviewer is approving. */
export type Verdict = 'grantable' | 'needs-extra-approval';

/** Everything a grant would do for one request, decided before anything touches AWS. */
export interface Plan {
  file: string;
  request: AccessRequest;
  resolved: ResolvedRequest;
  window: GrantWindow;
  /** True when the request names no start: the window is computed at grant time. */
  startsWhenGranted: boolean;
  lint: PolicyLint;
  policy: BuiltPolicy;
  /**
   * Identity Center accounts: the permission set that would hold `policy` (its session length is
   * recomputed at grant time from the time left).
   */
  permissionSet?: PermissionSetGrant;
  /** The profile's rule, raised when the policy is high-risk and the config asks for more. */
  approvals: ApprovalRule;
  verdict: Verdict;
  /** Findings that do not block: wildcards, broad resources. */
  warnings: Problem[];
}

export interface PlanInput {
  text: string;
  file: string;
  config: JitConfig;
  now: Date;
  pr?: number;
}

/** A request file planned for every account it names (decision 027). */
export interface RequestPlan {
  file: string;
  /** The request as written: `accounts` set when it names several. */
  request: AccessRequest;
  /** One plan per account, in the order the file names them; each is granted on its own. */
  targets: Plan[];
  /** The strictest of the targets' rules: one approval of the PR covers every account. */
  approvals: ApprovalRule;
  verdict: Verdict;
}

/**
 * parse → resolve → lint → build → approval rule, the same steps the grant action repeats at
 * merge time. Every problem carries the file and, where the YAML has one, the line. A file that
 * names several accounts fails here with SEVERAL_ACCOUNTS: this is for the paths that take one
 * account (break-glass); the others use `planRequestTargets`.
 */
export function planRequest(input: PlanInput): Result<Plan> {
  const planned = planRequestTargets(input);
  if (!planned.ok) return planned;
  const [only, ...more] = planned.value.targets;
  if (only && more.length === 0) return ok(only);
  const names = planned.value.targets.map((t) => t.resolved.account.alias).join(', ');
  const draft = draftRequest(input.text, input.file);
  return fail([
    draft.locate({
      path: 'accounts',
      severity: 'error',
      code: 'SEVERAL_ACCOUNTS',
      message: `this request names several accounts (${names}), and this step takes one: write one request per account with account:`,
    }),
  ]);
}

/**
 * Every account of a request file planned; problems of all of them in one pass, by line. A
 * refusal holds the errors only: the grant refuses on them, and says nothing of warnings.
 */
export function planRequestTargets(input: PlanInput): Result<RequestPlan> {
  const { planned, errors } = examineTargets(input);
  return planned ? ok(planned) : fail(errors);
}

/**
 * What the requester is told (`jit validate`, the request check): the plan, or every error
 * together with the warnings whose part of the request could be read, sorted by line, so one
 * push answers every mistake (a bad duration and an object action on a bucket ARN, together).
 */
export function checkRequestTargets(input: PlanInput): Result<RequestPlan> {
  const { planned, errors, warnings } = examineTargets(input);
  if (planned) return ok(planned);
  // Every check names its kind; this only covers what a future one might forget.
  const coded = errors.map((p) => (p.code ? p : { ...p, code: 'REQUEST_INVALID' }));
  return fail(sortByLine([...coded, ...warnings]));
}

interface Examined {
  planned?: RequestPlan;
  errors: Problem[];
  warnings: Problem[];
}

function examineTargets({ text, file, config, now, pr }: PlanInput): Examined {
  const draft = draftRequest(text, file);
  if (!draft.doc) return { errors: draft.problems, warnings: [] };
  const several = draft.fields.accounts;
  const aliases: (string | undefined)[] = several ?? [draft.fields.account];
  const errors = new Map<string, Problem>();
  const warnings = new Map<string, Problem>();
  const keyOf = (p: Problem) => `${p.line ?? 0}:${p.column ?? 0}:${p.path}:${p.message}`;
  const targets: Plan[] = [];
  aliases.forEach((alias, i) => {
    const fields: Partial<AccessRequest> = { ...draft.fields };
    if (alias === undefined) delete fields.account;
    else fields.account = alias;
    const request =
      draft.request && alias !== undefined ? { ...draft.request, account: alias } : undefined;
    // A problem with one of several accounts points at its own line of the list.
    const at = several ? childIndex('accounts', i) : 'account';
    const target = planTarget({
      draft,
      file,
      request,
      fields,
      at,
      config,
      now,
      ...(pr === undefined ? {} : { pr }),
    });
    for (const p of target.errors) errors.set(keyOf(p), p);
    for (const p of target.warnings) warnings.set(keyOf(p), p);
    if (target.plan) targets.push(target.plan);
  });
  const all = sortByLine([...warnings.values()]);
  if (errors.size > 0 || !draft.request || targets.length !== aliases.length)
    return { errors: sortByLine([...errors.values()]), warnings: all };
  for (const t of targets) t.warnings = all;
  const approvals = targets
    .map((t) => t.approvals)
    .reduce((a, b) => (b.required > a.required ? b : a));
  const risky = targets.some((t) => t.verdict === 'needs-extra-approval');
  return {
    planned: {
      file,
      request: draft.request,
      targets,
      approvals,
      verdict: risky ? 'needs-extra-approval' : 'grantable',
    },
    errors: [],
    warnings: all,
  };
}

interface TargetInput {
  draft: RequestDraft;
  file: string;
  /** The whole request with `account` set to this target's, when the file has no problems. */
  request: AccessRequest | undefined;
  fields: Partial<AccessRequest>;
  /** Where this target's account is written: `account`, or `accounts[i]`. */
  at: string;
  config: JitConfig;
  now: Date;
  pr?: number;
}

/** One account's plan, or why it cannot be granted there. */
function planTarget({ draft, file, request, fields: written, at, config, now, pr }: TargetInput): {
  errors: Problem[];
  warnings: Problem[];
  plan?: Plan;
} {
  const { locate } = draft;
  const fields = checkFields(written, draft.malformed, config, now);
  const parseProblems = draft.problems.map((p) => withConfigHint(p, draft, config));
  const resolved =
    request && fields.problems.length === 0 ? resolveRequest(request, config, now) : undefined;
  const atAccount = (p: Problem): Problem => (p.path === 'account' ? { ...p, path: at } : p);

  // A profile's statements live in the config: their findings point at the request's `profile`
  // line, with the statement path kept in the message.
  const custom = draft.fields.permissions !== undefined;
  const place = (p: Problem): Problem =>
    custom
      ? locate(p)
      : {
          ...locate({ ...p, path: 'profile' }),
          message: `${draft.fields.profile} ${p.path}: ${p.message}`,
        };
  const statements = (custom ? draft.fields.permissions : fields.statements) ?? [];
  const prefix = custom ? 'permissions' : 'statements';
  const lint = lintStatements(statements, {
    pathPrefix: prefix,
    denyActions: config.denyActions,
    baseline: BASELINE_DENY,
  });
  const located = lint.problems.map(place);
  const errors = [...parseProblems, ...fields.problems.map((p) => locate(atAccount(p)))];
  errors.push(...located.filter((p) => p.severity === 'error'));
  // An empty resource list that was not read proves nothing about the actions next to it.
  const unread = [...(custom ? draft.resourcesUnread : [])].map((i) => `${prefix}[${i}].`);
  const warnings = lint.problems
    .filter(
      (p) =>
        p.severity === 'warning' &&
        !(p.code === 'ACTION_MATCHES_NO_RESOURCE' && unread.some((u) => p.path.startsWith(u))),
    )
    .map(place);
  if (fields.account)
    warnings.push(...foreignResources(statements, fields.account, prefix).map(place));
  if (fields.approvals)
    warnings.push(
      ...unknownApprovers(
        fields.approvals.rule.approvers,
        fields.approvals.setAt,
        config,
        custom ? 'permissions' : 'profile',
      ).map(locate),
    );

  const highRisk = lint.risks.length > 0;
  // Risks hang on resources too: judged only on statements that were read whole.
  if (highRisk && config.highRisk.policy === 'deny' && !draft.malformed.has('permissions')) {
    for (const risk of lint.risks) {
      errors.push(
        place({
          path: risk.path,
          severity: 'error',
          code: 'HIGH_RISK_DENIED',
          message: `high-risk action ${risk.action}: ${risk.reason}; this organisation does not grant high-risk access through jit-access`,
        }),
      );
    }
  }
  if (!request || !resolved?.ok) return { errors, warnings };

  const window = grantWindow(request.start, resolved.value.durationMinutes, now);
  const policy = buildPolicy({
    requestId: request.id,
    requester: request.requester,
    principalArn: resolved.value.principalArn,
    statements: resolved.value.statements,
    window,
    ...(pr === undefined ? {} : { pr }),
  });
  if (!policy.ok)
    errors.push(...policy.problems.map((p) => ({ ...p, file, code: p.code ?? 'POLICY_INVALID' })));
  if (errors.length > 0 || !policy.ok) return { errors, warnings };

  const base = resolved.value.approvals;
  const approvals =
    highRisk && config.highRisk.policy === 'extra-approval'
      ? { ...base, required: base.required + config.highRisk.extraApprovals }
      : base;

  const { grantee } = resolved.value;
  const permissionSet =
    grantee.backend === 'identity-center'
      ? planPermissionSet({
          policy: policy.value,
          identityCenter: grantee.identityCenter,
          userName: grantee.userName,
          accountId: resolved.value.account.id,
          requestId: request.id,
          window,
          now,
          ...(pr === undefined ? {} : { pr }),
        })
      : undefined;
  return {
    errors,
    warnings,
    plan: {
      file,
      request,
      resolved: resolved.value,
      window,
      startsWhenGranted: request.start === undefined,
      lint,
      policy: policy.value,
      ...(permissionSet ? { permissionSet } : {}),
      approvals,
      verdict: highRisk ? 'needs-extra-approval' : 'grantable',
      warnings: sortByLine(warnings),
    },
  };
}

/** An unquoted account id is a schema error whose fix is in the config: the account's alias. */
function withConfigHint(problem: Problem, draft: RequestDraft, config: JitConfig): Problem {
  const raw = draft.doc?.raw('account');
  const value = (draft.doc?.value as Record<string, unknown> | null)?.account;
  if (problem.path !== 'account' || typeof value !== 'number' || raw === undefined) return problem;
  return { ...problem, message: numericAccount(raw, config) };
}

/** Problems in the order of the file, so a requester reads them top to bottom. */
export function sortByLine(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}
