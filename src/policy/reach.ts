/**
 * Resources a grant in one account cannot simply reach: an ARN in another partition never
 * matches anything there, and one in another account works only if that account's own resource
 * policy trusts this one. Both are written by mistake far more often than on purpose.
 */
import type { Account, PermissionStatement } from '../domain.js';
import type { Problem } from '../problem.js';

const PARTITION = /^arn:([^:]+):/;

export function foreignResources(
  statements: readonly PermissionStatement[],
  account: Account,
  pathPrefix: string,
): Problem[] {
  const partition = PARTITION.exec(account.brokerRole)?.[1];
  const problems: Problem[] = [];
  statements.forEach((statement, i) =>
    statement.resources.forEach((resource, k) => {
      const parts = resource.split(':');
      if (parts[0] !== 'arn' || parts.length < 6) return;
      const path = `${pathPrefix}[${i}].resources[${k}]`;
      const [, theirPartition = '', , , owner = ''] = parts;
      if (partition && !/[*?$]/.test(theirPartition) && theirPartition !== partition) {
        problems.push({
          path,
          severity: 'warning',
          code: 'RESOURCE_OTHER_PARTITION',
          message: `\`${resource}\` is in partition ${theirPartition}, but account ${account.alias} is in ${partition}: no grant reaches across partitions, so this resource would get nothing`,
        });
      } else if (/^\d{12}$/.test(owner) && owner !== account.id) {
        problems.push({
          path,
          severity: 'warning',
          code: 'RESOURCE_OTHER_ACCOUNT',
          message: `\`${resource}\` is in account ${owner}, not ${account.alias} (${account.id}) where this grant is made: it works only if that account's resource policy trusts ${account.alias}; to act in ${owner}, request access there`,
        });
      }
    }),
  );
  return problems;
}
