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
import { grantWindow } from '../policy/window.js';
import { parseRequestDocument } from '../request/parse-request.js';
import { resolveRequest } from '../request/resolve.js';

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
  const parsed = parseRequestDocument(text, file);
  if (!parsed.ok) return parsed;
  const { request, locate } = parsed.value;

  const resolved = resolveRequest(request, config, now);
  if (!resolved.ok) return fail(resolved.problems.map(locate));

  // A profile's statements live in the config: their findings point at the request's `profile`
  // line, with the statement path kept in the message.
  const place = (p: Problem): Problem =>
    request.permissions
      ? locate(p)
      : {
          ...locate({ ...p, path: 'profile' }),
          message: `${request.profile} ${p.path}: ${p.message}`,
        };
  const lint = lintStatements(resolved.value.statements, {
    pathPrefix: request.permissions ? 'permissions' : 'statements',
    denyActions: config.denyActions,
    baseline: BASELINE_DENY,
  });
  const located = lint.problems.map(place);
  const errors = located.filter((p) => p.severity === 'error');
  const warnings = located.filter((p) => p.severity === 'warning');

  const highRisk = lint.risks.length > 0;
  if (highRisk && config.highRisk.policy === 'deny') {
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
  if (errors.length > 0 || !policy.ok) return fail(errors);

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
    warnings,
  });
}
