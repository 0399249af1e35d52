import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../state.js';
import type { ContextValues } from './evaluate.js';

/**
 * Does a role's trust policy let this federated principal assume it? The Principal element is
 * matched here (a federated principal is one ARN, compared exactly, or `*`); actions and
 * conditions, the part worth getting right, go to the real evaluator as an identity policy
 * on the role. iam-simulate's resource-policy path cannot be used directly: its unvalidated
 * entry point fails on an unnamed resource policy, and its validated one drops condition keys
 * such as `token.actions.githubusercontent.com:sub` that its catalogue does not know.
 *
 * IAM refuses `NotPrincipal` in a trust policy ("You cannot use the NotPrincipal element in an
 * IAM identity-based policy nor in an IAM role trust policy",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html),
 * so no real role has one; `AwsState.addRole` refuses it too, and a document changed afterwards
 * to hold one allows nobody rather than have the statement skipped.
 */
export function trustAllows(
  trustPolicy: PolicyDocument,
  request: { principal: string; action: string; roleArn: string; context: ContextValues },
): boolean {
  const statements = ([] as unknown[]).concat(trustPolicy.Statement ?? []) as Record<
    string,
    unknown
  >[];
  if (statements.some(hasNotPrincipal)) return false;
  const applicable = statements
    .filter((s) => principalMatches(s.Principal, request.principal))
    .map(({ Principal: _principal, ...rest }) => ({ Resource: '*', ...rest }));
  if (applicable.length === 0) return false;
  const result: string = runUnsafeSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.roleArn, accountId: request.roleArn.split(':')[4] ?? '' },
        contextVariables: request.context,
      },
      identityPolicies: [
        { name: 'trust', policy: { Version: trustPolicy.Version, Statement: applicable } },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  return result === 'Allowed';
}

function principalMatches(principal: unknown, federated: string): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const p = principal as Record<string, unknown>;
  const values = ([] as unknown[]).concat(p.Federated ?? [], p.AWS === '*' ? '*' : []);
  return values.some((v) => v === federated || v === '*');
}

export const hasNotPrincipal = (statement: Record<string, unknown>): boolean =>
  typeof statement === 'object' && statement !== null && 'NotPrincipal' in statement;
