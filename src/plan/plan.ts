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
 * merge time. Every problem carries the file and, where the YAML has one, the line.
 */
export function planRequest({ text, file, config, now, pr }: PlanInput): Result<Plan> {
  const draft = draftRequest(text, file);
  const { request, locate } = draft;
  if (!draft.doc) return fail(draft.problems);
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
  });
  const located = lint.problems.map(place);
  const errors = [...parseProblems, ...fields.problems.map(locate)];
  errors.push(...located.filter((p) => p.severity === 'error'));
  const warnings = located.filter((p) => p.severity === 'warning');

  const highRisk = lint.risks.length > 0;
  // Risks hang on resources too: judged only on statements that were read whole.
  if (highRisk && config.highRisk.policy === 'deny' && !draft.malformed.has('permissions')) {
    for (const risk of lint.risks) {
      errors.push(
        place({
          path: risk.path,
          severity: 'error',
          message: `high-risk action ${risk.action}: ${risk.reason}; this organisation does not grant high-risk access through jit-access`,
        }),
      );
    }
  }
  if (!request || !resolved?.ok) return fail(sortByLine(errors));
  warnings.push(...foreignResources(statements, resolved.value.account, prefix).map(place));
  warnings.push(
    ...unknownApprovers(
      resolved.value.approvals.approvers,
      custom ? 'custom.approvers' : `profiles.${request.profile}.approvers`,
      config,
      custom ? 'permissions' : 'profile',
    ).map(locate),
  );

  const window = grantWindow(request.start, resolved.value.durationMinutes, now);
  const policy = buildPolicy({
    requestId: request.id,
    requester: request.requester,
    principalArn: resolved.value.principalArn,
    statements: resolved.value.statements,
    window,
    ...(pr === undefined ? {} : { pr }),
  });
  if (!policy.ok) errors.push(...policy.problems.map((p) => ({ ...p, file })));
  if (errors.length > 0 || !policy.ok) return fail(sortByLine(errors));

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
  return ok({
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
  });
}

/** An unquoted account id is a schema error whose fix is in the config: the account's alias. */
function withConfigHint(problem: Problem, draft: RequestDraft, config: JitConfig): Problem {
  const raw = draft.doc?.raw('account');
  const value = (draft.doc?.value as Record<string, unknown> | null)?.account;
  if (problem.path !== 'account' || typeof value !== 'number' || raw === undefined) return problem;
  return { ...problem, message: numericAccount(raw, config) };
}

/** Problems in the order of the file, so a requester reads them top to bottom. */
function sortByLine(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}
