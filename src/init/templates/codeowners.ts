/**
 * .github/CODEOWNERS of an access repository: the platform security team owns everything, so a
 * ruleset requiring code owner review puts it on every change; request files need an approver
 * too. The two teams are the ones the generated config names.
 */
export const codeownersFile = (
  org: string,
): string => `# The last matching pattern wins. Everything needs the platform team's review; request files
# need an approver too, and the grant action enforces each profile's own approver list on top.
* @${org}/platform-security
/requests/ @${org}/platform-security @${org}/access-approvers
/.github/ @${org}/platform-security
/jit.config.yaml @${org}/platform-security
`;
