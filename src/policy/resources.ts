/** Which resources a statement reaches, as far as the escalation list cares. */
import type { ResourceScope } from './escalation.js';
import { globMatches, hasWildcard } from './glob.js';

// One example jit grant policy ARN per partition: a resource pattern that matches one of them
// can name the requester's own grant.
const JIT_EXAMPLES = ['aws', 'aws-cn', 'aws-us-gov'].map(
  (partition) => `arn:${partition}:iam::123456789012:policy/jit/jit-example`,
);
const JIT_POLICY_PATTERN = 'arn:aws*:iam::*:policy/jit/*';

/** Over-matching is the safe side here, so ARNs compare case-insensitively. */
function namesJitPolicy(resource: string): boolean {
  return (
    JIT_EXAMPLES.some((arn) => globMatches(resource, arn, true)) ||
    globMatches(JIT_POLICY_PATTERN, resource, true)
  );
}

export function reachesScope(resources: readonly string[], scope: ResourceScope): boolean {
  return scope === 'wildcard' ? resources.some(hasWildcard) : resources.some(namesJitPolicy);
}
