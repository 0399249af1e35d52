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
 * A policy variable (`${aws:username}`) is filled in at request time, so it may be anything.
 * Over-matching is the safe side here, so ARNs compare case-insensitively.
 */
const canReach = (resource: string, own: string): boolean =>
  globsOverlap(resource.replace(/\$\{[^}]*\}/g, '*'), own, true);

export function reachesScope(resources: readonly string[], scope: ResourceScope): boolean {
  if (scope === 'wildcard') return resources.some(hasWildcard);
  const own = OWN[scope];
  return resources.some((resource) => canReach(resource, own));
}
