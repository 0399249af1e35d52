/**
 * A profile may limit who requests it and for which accounts: logins and accounts are decided
 * before a reviewer's time is spent; teams are named in the verdict and left to the grant.
 */
import { parseConfig } from '../../src/request/parse-config.js';
import { planRequest } from '../../src/plan/plan.js';
import { verdictInWords } from '../../src/plan/verdict-words.js';

const CONFIG = `version: 1
accounts:
  prod: { id: "111122223333", brokerRole: "arn:aws:iam::111122223333:role/jit/broker", regions: [eu-west-1] }
  dev: { id: "444455556666", brokerRole: "arn:aws:iam::444455556666:role/jit/broker", regions: [eu-west-1] }
principals:
  octocat: { prod: "arn:aws:iam::111122223333:user/octocat", dev: "arn:aws:iam::444455556666:user/octocat" }
  hubot: { prod: "arn:aws:iam::111122223333:user/hubot", dev: "arn:aws:iam::444455556666:user/hubot" }
profiles:
  by-login:
    description: Only octocat, only dev.
    statements: [{ actions: [s3:GetObject], resources: ["arn:aws:s3:::logs/*"] }]
    approvers: [acme/sre]
    requesters: [octocat]
    accounts: [dev]
  by-team:
    description: Members of acme/oncall, or hubot by name.
    statements: [{ actions: [s3:GetObject], resources: ["arn:aws:s3:::logs/*"] }]
    approvers: [acme/sre]
    requesters: [acme/oncall, hubot]
`;

const config = (() => {
  const parsed = parseConfig(CONFIG, 'jit.config.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
})();
const NOW = new Date('2026-12-02T10:00:00Z');
const plan = (requester: string, account: string, profile: string) =>
  planRequest({
    text: `requester: ${requester}\naccount: ${account}\nprofile: ${profile}\nduration: 30m\nreason: Read the export logs for INC-1.\n`,
    file: 'requests/who-asks.yaml',
    config,
    now: NOW,
  });

test.each([
  ['octocat', 'dev', 'by-login', []],
  ['hubot', 'dev', 'by-login', ['requester:REQUESTER_NOT_ALLOWED']],
  ['octocat', 'prod', 'by-login', ['account:PROFILE_ACCOUNT_NOT_ALLOWED']],
  [
    'hubot',
    'prod',
    'by-login',
    ['account:PROFILE_ACCOUNT_NOT_ALLOWED', 'requester:REQUESTER_NOT_ALLOWED'],
  ],
  ['hubot', 'prod', 'by-team', []],
  ['octocat', 'prod', 'by-team', []],
])('%s asking %s for %s: %j', (requester, account, profile, expected) => {
  const result = plan(requester, account, profile);
  const found = result.ok
    ? []
    : result.problems.map((p) => `${p.path}:${p.code ?? p.message}`).sort();
  expect(found).toEqual(expected);
  if (!result.ok) for (const p of result.problems) expect(p.line).toBeGreaterThan(0);
});

test('a requester named only through a team is told the grant checks membership', () => {
  const byTeam = plan('octocat', 'prod', 'by-team');
  if (!byTeam.ok) throw new Error('expected valid');
  expect(byTeam.value.resolved.requesterTeams).toEqual(['acme/oncall']);
  expect(verdictInWords(byTeam.value)).toContain('must be a member of acme/oncall');
  const byName = plan('hubot', 'prod', 'by-team');
  if (!byName.ok) throw new Error('expected valid');
  expect(byName.value.resolved.requesterTeams).toBeUndefined();
});

test('a profile naming an account the config does not have is a config error', () => {
  const parsed = parseConfig(
    CONFIG.replace('accounts: [dev]', 'accounts: [dve]'),
    'jit.config.yaml',
  );
  expect(parsed.ok).toBe(false);
  if (parsed.ok) return;
  expect(parsed.problems[0]?.message).toContain('did you mean "dev"');
  expect(parsed.problems[0]?.line).toBe(
    CONFIG.split('\n').findIndex((l) => l.includes('accounts: [dev]')) + 1,
  );
});
