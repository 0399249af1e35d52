/**
 * Approvers a request would wait for in vain. A team is `org/team`; anything else is a GitHub
 * login, which is "known" when jit.config.yaml names that person anywhere a person is named:
 * principals, people or identityCenter.users. A login known nowhere is most often a typo, and
 * GitHub would never send an approval from it; people who only approve belong in `people`.
 */
import type { JitConfig } from '../domain.js';
import type { Problem } from '../problem.js';
import { nearest } from '../text/nearest.js';

export function unknownApprovers(
  approvers: readonly string[],
  where: string,
  config: JitConfig,
  path: string,
): Problem[] {
  const people = [
    ...Object.keys(config.principals),
    ...(config.people ?? []),
    ...Object.keys(config.identityCenter?.users ?? {}),
  ];
  const known = new Set(people.map((login) => login.toLowerCase()));
  return approvers
    .filter((approver) => !approver.includes('/') && !known.has(approver.toLowerCase()))
    .map((approver): Problem => {
      const guess = nearest(approver, people);
      const hint = guess ? `did you mean ${guess}? ` : '';
      return {
        path,
        severity: 'warning',
        code: 'APPROVER_UNKNOWN',
        message: `approver ${approver} (${where} in jit.config.yaml) is neither a team (org/team) nor a person jit.config.yaml names (principals, people, identityCenter.users), so their approval may never come: ${hint}ask an admin to fix the approvers or add ${approver} to people`,
      };
    });
}
