/** The pure checks on snapshots the emulator cannot produce: custom deployment branch lists. */
import { checkRepository } from '../../src/doctor/checks.js';
import type { DeploymentBranch, RepoSnapshot } from '../../src/doctor/snapshot.js';
import { CODEOWNERS } from './world.js';

const ok = <T>(value: T) => ({ state: 'ok' as const, value });

function snapshot(customBranches: DeploymentBranch[]): RepoSnapshot {
  return {
    repository: 'acme/access',
    defaultBranch: 'main',
    codeowners: ok({ path: '.github/CODEOWNERS', text: CODEOWNERS }),
    codeownersErrors: ok([]),
    protection: { state: 'absent' },
    rulesets: ok([
      {
        source: 'ruleset "protect main"',
        pullRequest: {
          requiredApprovals: 1,
          codeOwnerReview: true,
          dismissStaleReviews: true,
          lastPushApproval: true,
        },
        blocksForcePushes: true,
        requiredChecks: ['check'],
        bypassedBy: [],
      },
    ]),
    environment: ok({
      branchPolicy: { protectedBranches: false, customBranchPolicies: true },
      customBranches: ok(customBranches),
    }),
    requestWorkflow: ok({
      use: 'binds' as const,
      environment: ok({
        branchPolicy: { protectedBranches: false, customBranchPolicies: true },
        customBranches: ok([{ name: 'main', type: 'branch' as const }]),
      }),
    }),
    workflowToken: ok({ defaultPermissions: 'read' as const, canApprovePullRequests: false }),
    decisionLog: {
      rulesets: ok([
        {
          name: 'decision log',
          enforcement: 'active',
          rules: ['creation', 'update', 'deletion', 'non_fast_forward'],
          bypassActors: [{ type: 'Integration', id: 1, mode: 'always' }],
        },
      ]),
      effectiveRules: ok(['creation', 'update', 'deletion', 'non_fast_forward']),
      branch: ok(true as const),
    },
  };
}

test('a custom deployment branch policy naming only main passes', () => {
  expect(checkRepository(snapshot([{ name: 'main', type: 'branch' }]))).toEqual([]);
});

test.each([
  [
    [
      { name: 'main', type: 'branch' },
      { name: 'release/*', type: 'branch' },
    ],
    'branch release/*',
  ],
  [[{ name: 'main*', type: 'branch' }], 'branch main*'],
  [[{ name: 'main', type: 'tag' }], 'tag main'],
  [[], 'names none'],
] as [DeploymentBranch[], string][])(
  'custom deployment branches %j are found',
  (branches, shown) => {
    const findings = checkRepository(snapshot(branches));
    expect(findings.map((f) => f.id)).toEqual(['environment-other-branches']);
    expect(findings[0]?.message).toContain(shown);
  },
);

test('the deployment branch is the default branch, whatever it is called', () => {
  const trunk = { ...snapshot([{ name: 'trunk', type: 'branch' }]), defaultBranch: 'trunk' };
  expect(checkRepository(trunk).map((f) => f.id)).toEqual(['request-environment-other-branches']);
  expect(checkRepository(trunk)[0]?.message).toBe('jit-request also deploys from branch main');
  expect(checkRepository(trunk)[0]?.fix).toContain('jit-request environment');
  expect(checkRepository(trunk)[0]?.fix).toContain('with only trunk');
  const main = { ...snapshot([{ name: 'main', type: 'branch' }]), defaultBranch: 'trunk' };
  expect(checkRepository(main).map((f) => f.id)).toEqual([
    'environment-other-branches',
    'request-environment-other-branches',
  ]);
  expect(checkRepository(main)[0]?.fix).toContain('with only trunk');
});

test.each([
  [[{ name: 'main', type: 'branch' }], []],
  [
    [
      { name: 'main', type: 'branch' },
      { name: '*', type: 'branch' },
    ],
    ['request-environment-other-branches'],
  ],
  [[], ['request-environment-other-branches']],
] as [DeploymentBranch[], string[]][])(
  'jit-request deploying from %j: %j, judged like jit-grant',
  (branches, found) => {
    const s = snapshot([{ name: 'main', type: 'branch' }]);
    s.requestWorkflow = ok({
      use: 'binds',
      environment: ok({
        branchPolicy: { protectedBranches: false, customBranchPolicies: true },
        customBranches: ok(branches),
      }),
    });
    const findings = checkRepository(s);
    expect(findings.map((f) => f.id)).toEqual(found);
    for (const f of findings) expect(`${f.message} ${f.fix}`).not.toContain('jit-grant');
  },
);

test('custom deployment branches the token cannot list are reported as unreadable', () => {
  const s = snapshot([]);
  s.environment = ok({
    branchPolicy: { protectedBranches: false, customBranchPolicies: true },
    customBranches: { state: 'forbidden', permission: 'actions: read', message: 'no' },
  });
  const findings = checkRepository(s);
  expect(findings.map((f) => f.id)).toEqual(['cannot-read']);
  expect(findings[0]?.message).toContain('deployment branch policies');
});

test('errors come before warnings', () => {
  const s = snapshot([{ name: 'main', type: 'branch' }]);
  s.workflowToken = ok({ defaultPermissions: 'write' as const, canApprovePullRequests: true });
  s.codeowners = { state: 'absent' };
  expect(checkRepository(s).map((f) => f.severity)).toEqual(['error', 'error', 'warning']);
});
