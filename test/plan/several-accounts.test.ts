/**
 * One request file naming several accounts (decision 027): each account is planned as its own
 * target (its own principal and backend), and every mistake names its field and line.
 */
import { readFileSync } from 'node:fs';
import type { JitConfig } from '../../src/domain.js';
import { planRequest, planRequestTargets } from '../../src/plan/plan.js';
import { parseConfig } from '../../src/request/parse-config.js';

const FILE = 'test/fixtures/config/identity-center.yaml';
const NOW = new Date('2026-11-25T09:00:00Z');

const config = (edit: (text: string) => string = (t) => t): JitConfig => {
  const parsed = parseConfig(edit(readFileSync(FILE, 'utf8')), FILE);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
};

const file = (accounts: string, extra = '') =>
  `requester: octocat\n${accounts}\nprofile: readonly\nduration: 1h\nreason: Compare the fleets after INC-7.\n${extra}`;

const plan = (text: string, cfg = config()) =>
  planRequestTargets({ text, file: 'requests/octocat-fleets.yaml', config: cfg, now: NOW, pr: 9 });

test('each account is its own target, with its own grantee and backend', () => {
  const planned = plan(file('accounts: [legacy, prod, tools]'));
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  const targets = planned.value.targets.map((t) => [
    t.request.account,
    t.resolved.grantee.backend,
    t.resolved.principalArn,
  ]);
  expect(targets).toEqual([
    ['legacy', 'iam', 'arn:aws:iam::210987654321:user/people/octocat'],
    ['prod', 'identity-center', 'octocat@acme.example'],
    ['tools', 'iam', 'arn:aws:iam::333344445555:role/humans/octocat'],
  ]);
  expect(planned.value.request.accounts).toEqual(['legacy', 'prod', 'tools']);
  expect(planned.value.approvals.required).toBe(1);
});

test('a one-account file plans exactly as before', () => {
  const planned = plan(file('account: legacy'));
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  expect(planned.value.targets).toHaveLength(1);
  expect(planned.value.request.accounts).toBeUndefined();
  expect(
    planRequest({
      text: file('account: legacy'),
      file: 'requests/octocat-fleets.yaml',
      config: config(),
      now: NOW,
    }).ok,
  ).toBe(true);
});

test.each([
  [
    'an alias named twice',
    'accounts:\n  - legacy\n  - tools\n  - legacy',
    [['accounts[2]', 5, 'DUPLICATE_ACCOUNT']],
  ],
  [
    'account and accounts both',
    'account: legacy\naccounts: [tools]',
    [['accounts', 3, 'ACCOUNT_AND_ACCOUNTS']],
  ],
  [
    'an unknown alias in the list',
    'accounts:\n  - legacy\n  - tols',
    [['accounts[1]', 4, /unknown account "tols": did you mean "tools"/]],
  ],
  ['neither account nor accounts', '', [['', undefined, /say which account/]]],
  ['an empty list', 'accounts: []', [['accounts', 2, /must not be empty/]]],
])('%s is refused with its field and line', (_, accounts, expected) => {
  const planned = plan(file(accounts));
  expect(planned.ok).toBe(false);
  if (planned.ok) return;
  const found = planned.problems.map((p) => [p.path, p.line, p.code ?? p.message]);
  expect(found).toHaveLength(expected.length);
  expected.forEach(([path, line, what], i) => {
    expect(found[i]![0]).toBe(path);
    if (line !== undefined) expect(found[i]![1]).toBe(line);
    if (typeof what === 'string') expect(found[i]![2]).toBe(what);
    else expect(String(planned.problems[i]!.message)).toMatch(what as RegExp);
  });
});

test("a profile's accounts limit applies to every account named", () => {
  const limited = config((t) =>
    t.replace(
      "        resources: ['*']",
      "        resources: ['*']\n    accounts: [legacy, tools]",
    ),
  );
  const planned = plan(file('accounts:\n  - legacy\n  - prod'), limited);
  expect(planned.ok).toBe(false);
  if (planned.ok) return;
  expect(planned.problems.map((p) => [p.path, p.line, p.code])).toEqual([
    ['accounts[1]', 4, 'PROFILE_ACCOUNT_NOT_ALLOWED'],
  ]);
});

test('a person without a principal in one of the accounts learns which', () => {
  // hubot has an IAM principal in legacy only; prod grants through Identity Center.
  const text = file('accounts: [legacy, prod]').replace('requester: octocat', 'requester: hubot');
  const planned = plan(text);
  expect(planned.ok).toBe(true);
  const noTemplate = config((t) => t.replace(/^ *principalTemplate: .*$/gm, ''));
  const tools = plan(text.replace('[legacy, prod]', '[legacy, tools]'), noTemplate);
  expect(tools.ok).toBe(false);
  if (tools.ok) return;
  expect(tools.problems.map((p) => p.message).join('\n')).toMatch(
    /hubot has no IAM principal in account tools/,
  );
});

test('an extension names one account', () => {
  const planned = plan(file('accounts: [legacy, tools]', 'extends: octocat-older\n'));
  expect(planned.ok).toBe(false);
  if (planned.ok) return;
  expect(planned.problems.map((p) => [p.path, p.line, p.code])).toContainEqual([
    'extends',
    6,
    'EXTENDS_SEVERAL_ACCOUNTS',
  ]);
});

test('a step that takes one account refuses several with a stable code', () => {
  const planned = planRequest({
    text: file('accounts: [legacy, tools]'),
    file: 'requests/octocat-fleets.yaml',
    config: config(),
    now: NOW,
  });
  expect(planned.ok).toBe(false);
  if (planned.ok) return;
  expect(planned.problems.map((p) => [p.path, p.code])).toEqual([['accounts', 'SEVERAL_ACCOUNTS']]);
});
