/** Which resources a statement reaches, as far as the escalation list cares. */
import { POLICY_PATH } from './build.js';
import type { ResourceScope } from './escalation.js';
import { globsOverlap, hasWildcard } from './glob.js';

/**
 * What jit-access itself owns, in every account and partition: its grant policies (created under
 * the policy path of build.ts), the broker and runbook roles deploy/jit-access.yaml creates under
 * `/jit-access/`, and the GitHub OIDC provider both roles trust.
 */
const OWN: Record<Exclude<ResourceScope, 'wildcard'>, string> = {
  'jit-policies': `arn:*:iam::*:policy${POLICY_PATH}*`,
  'jit-roles': 'arn:*:iam::*:role/jit-access/*',
  'jit-oidc': 'arn:*:iam::*:oidc-provider/token.actions.githubusercontent.com',
};

/**
 * IAM compares an ARN's six colon-separated parts one by one, so a `*` never spans a colon
 * between them (the last part, the resource, keeps its own colons). Anything that is not an ARN
 * (`*`) is compared whole. A policy variable (`${aws:username}`) is filled in at request time,
 * so it may be anything. Over-matching is the safe side here, so ARNs compare case-insensitively.
 */
function canReach(resource: string, own: string): boolean {
  const pattern = resource.replace(/\$\{[^}]*\}/g, '*');
  const theirs = arnParts(pattern);
  const ours = arnParts(own);
  if (!theirs || !ours) return globsOverlap(pattern, own, true);
  return theirs.every((part, i) => globsOverlap(part, ours[i]!, true));
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

export function reachesScope(resources: readonly string[], scope: ResourceScope): boolean {
  if (scope === 'wildcard') return resources.some(hasWildcard);
  const own = OWN[scope];
  return resources.some((resource) => canReach(resource, own));
}
