import { runUnsafeSimulation, type EvaluationResult } from '@cloud-copilot/iam-simulate';
import type { Clock } from '../clock.js';
import type { AwsState, Entity, Identity, SessionPolicies } from '../state.js';

export type ContextValues = Record<string, string | string[]>;

export interface AuthzRequest {
  action: string;
  resource: string;
  context?: ContextValues;
}

export type Decision = EvaluationResult;

/** Which kind of policy decided a refusal: AWS names it in the message. */
export interface Decided {
  decision: EvaluationResult;
  by: 'identity' | 'session';
}

/**
 * Identity-based authorisation by a real IAM evaluator (@cloud-copilot/iam-simulate): the
 * principal's inline and attached policies (and its groups') against the action, resource and
 * request context. The unvalidated entry point is used because the context carries keys the
 * evaluator's catalogue does not list for every action (aws:CurrentTime on a time-bound grant
 * must never be dropped as "not applicable", or expiry would not bite).
 *
 * A session made with session policies may do only what both its role's policies and its
 * session policies allow; an explicit deny in either refuses
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session).
 * The library's own entry point ignores session policies, so they are evaluated as a second
 * policy set over the same request and the two answers intersected.
 */
export function evaluate(
  state: AwsState,
  clock: Clock,
  principal: { arn: string; identity?: Identity; session?: SessionPolicies },
  request: AuthzRequest,
): Decision {
  return decide(state, clock, principal, request).decision;
}

/** `evaluate`, also saying which kind of policy refused, for the refusal's message. */
export function decide(
  state: AwsState,
  clock: Clock,
  principal: { arn: string; identity?: Identity; session?: SessionPolicies },
  request: AuthzRequest,
): Decided {
  const entity = state.entityByArn(principal.arn);
  if (!entity) return { decision: 'ImplicitlyDenied', by: 'identity' };
  const context = { ...requestContext(clock, entity, principal), ...request.context };
  const simulate = (policies: { name: string; policy: unknown }[]): EvaluationResult =>
    runUnsafeSimulation(
      {
        request: {
          principal: principal.arn,
          action: request.action,
          resource: { resource: request.resource, accountId: accountOf(request.resource, entity) },
          contextVariables: context,
        },
        identityPolicies: policies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
  const identity = simulate(state.identityPolicies(entity));
  if (!principal.session || identity === 'ExplicitlyDenied')
    return { decision: identity, by: 'identity' };
  const session = simulate(state.sessionPolicyDocuments(principal.session));
  if (session !== 'Allowed') return { decision: session, by: 'session' };
  return { decision: identity, by: 'identity' };
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
  by: Decided['by'] = 'identity',
): string {
  const kind = by === 'session' ? 'session policy' : 'identity-based policy';
  const reason =
    decision === 'ExplicitlyDenied'
      ? `with an explicit deny in ${by === 'session' ? 'a' : 'an'} ${kind}`
      : `because no ${kind} allows the ${request.action} action`;
  return `User: ${callerArn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${reason}`;
}
