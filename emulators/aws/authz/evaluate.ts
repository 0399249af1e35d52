import { runUnsafeSimulation, type EvaluationResult } from '@cloud-copilot/iam-simulate';
import type { Clock } from '../clock.js';
import type { AwsState, Entity, Identity } from '../state.js';

export type ContextValues = Record<string, string | string[]>;

export interface AuthzRequest {
  action: string;
  resource: string;
  context?: ContextValues;
}

export type Decision = EvaluationResult;

/**
 * Identity-based authorisation by a real IAM evaluator (@cloud-copilot/iam-simulate): the
 * principal's inline and attached policies (and its groups') against the action, resource and
 * request context. The unvalidated entry point is used because the context carries keys the
 * evaluator's catalogue does not list for every action (aws:CurrentTime on a time-bound grant
 * must never be dropped as "not applicable", or expiry would not bite).
 */
export function evaluate(
  state: AwsState,
  clock: Clock,
  principal: { arn: string; identity?: Identity },
  request: AuthzRequest,
): Decision {
  const entity = state.entityByArn(principal.arn);
  if (!entity) return 'ImplicitlyDenied';
  const context = { ...requestContext(clock, entity, principal), ...request.context };
  return runUnsafeSimulation(
    {
      request: {
        principal: principal.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: accountOf(request.resource, entity) },
        contextVariables: context,
      },
      identityPolicies: state.identityPolicies(entity),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
}

/** The global condition keys AWS sets on every request by this principal. */
function requestContext(
  clock: Clock,
  entity: Entity,
  principal: { arn: string; identity?: Identity },
): ContextValues {
  const now = clock.now();
  const session = principal.arn.startsWith('arn:aws:sts::');
  const context: ContextValues = {
    'aws:CurrentTime': now.toISOString(),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:PrincipalArn': entity.arn,
    'aws:PrincipalAccount': entity.accountId,
    'aws:PrincipalType': session ? 'AssumedRole' : 'User',
    'aws:SecureTransport': 'false',
    'aws:userid': principal.identity?.principalId ?? entity.id,
  };
  if (entity.kind === 'user') context['aws:username'] = entity.name;
  if (principal.identity?.type === 'AssumedRole') {
    context['aws:TokenIssueTime'] = principal.identity.issuedAt.toISOString();
    if (principal.identity.federatedProvider)
      context['aws:FederatedProvider'] = principal.identity.federatedProvider;
  }
  return context;
}

/** IAM ARNs name their account; `*` resources belong to the caller's. */
function accountOf(resource: string, entity: Entity): string {
  const account = resource.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : entity.accountId;
}

/** AWS's wording, which tools parse: `User: ARN is not authorized to perform: ACTION on ...`. */
export function deniedMessage(
  callerArn: string,
  request: AuthzRequest,
  decision: Decision,
): string {
  const reason =
    decision === 'ExplicitlyDenied'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${request.action} action`;
  return `User: ${callerArn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${reason}`;
}
