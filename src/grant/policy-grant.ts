import type { PolicyGrant } from '../aws/iam-grant.js';
import type { Plan } from '../plan/plan.js';

/** What IAM is asked for to grant a plan: its policy, attached to its principal. */
export const policyGrantOf = ({ policy, resolved }: Plan): PolicyGrant => ({
  accountId: resolved.account.id,
  principalArn: resolved.principalArn,
  name: policy.name,
  path: policy.path,
  description: policy.description,
  document: policy.json,
  tags: policy.tags,
});
