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

/**
 * parse → resolve → lint → build → approval rule, the same steps the grant action repeats at
 * merge time. Every problem carries the file and, where the YAML has one, the line. A refusal
 * holds the errors only: the grant refuses on them, and says nothing of warnings.
 */
export function planRequest(input: PlanInput): Result<Plan> {
  const { plan, errors } = examineRequest(input);
  return plan ? ok(plan) : fail(errors);
}

/**
 * What the requester is told (`jit validate`, the request check): the plan, or every error
 * together with the warnings whose part of the request could be read, sorted by line, so one
 * push answers every mistake (a bad duration and an object action on a bucket ARN, together).
 */
export function checkRequest(input: PlanInput): Result<Plan> {
  const { plan, errors, warnings } = examineRequest(input);
  if (plan) return ok(plan);
  // Every check above names its kind; this only covers what a future one might forget.
  const coded = errors.map((p) => (p.code ? p : { ...p, code: 'REQUEST_INVALID' }));
  return fail(sortByLine([...coded, ...warnings]));
}

interface Examined {
  plan?: Plan;
  errors: Problem[];
  warnings: Problem[];
}

function examineRequest({ text, file, config, now, pr }: PlanInput): Examined {
  const draft = draftRequest(text, file);
  const { request, locate } = draft;
  if (!draft.doc) return { errors: draft.problems, warnings: [] };
  const fields = checkFields(draft.fields, draft.malformed, config, now);
  const parseProblems = draft.problems.map((p) => withConfigHint(p, draft, config));
  const resolved =
    request && fields.problems.length === 0 ? resolveRequest(request, config, now) : undefined;

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
  const errors = [...parseProblems, ...fields.problems.map(locate)];
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
  if (!request || !resolved?.ok) return { errors: sortByLine(errors), warnings };

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
  if (errors.length > 0 || !policy.ok) return { errors: sortByLine(errors), warnings };

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
  const plan: Plan = {
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
  };
  return { plan, errors: [], warnings: plan.warnings };
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
