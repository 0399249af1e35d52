import type { PermissionStatement } from '../../src/domain.js';
import { lookupAction } from '../../src/policy/actions.js';
import { ESCALATIONS, type RiskKind } from '../../src/policy/escalation.js';
import { globsOverlap } from '../../src/policy/glob.js';
import { lintStatements } from '../../src/policy/lint.js';

const lint = (statements: PermissionStatement[]) =>
  lintStatements(statements, { pathPrefix: 'permissions', denyActions: [] });
const one = (actions: string[], resources: string[]) => lint([{ actions, resources }]);
const ofKind = (l: ReturnType<typeof lint>, kind: RiskKind) =>
  l.risks.filter((r) => r.kinds.includes(kind)).map((r) => r.action);

describe('outlives the window', () => {
  // What the security review listed: each leaves behind something that works after expiry.
  const LEFT_BEHIND = [
    'iam:CreateServiceSpecificCredential',
    'iam:UploadSSHPublicKey',
    'iam:CreateAccessKey',
    'iam:CreateLoginProfile',
    'iam:UploadSigningCertificate',
    'sts:GetFederationToken',
    's3:PutBucketPolicy',
    's3:PutBucketAcl',
    's3:PutObjectAcl',
    'lambda:AddPermission',
    'kms:CreateGrant',
    'kms:PutKeyPolicy',
    'sqs:AddPermission',
    'sqs:SetQueueAttributes',
    'sns:AddPermission',
    'sns:SetTopicAttributes',
    'secretsmanager:PutResourcePolicy',
    'ecr:SetRepositoryPolicy',
    'iam:UpdateAssumeRolePolicy',
    'ec2-instance-connect:SendSSHPublicKey',
    'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
    'ecs:ExecuteCommand',
    'ssm:StartSession',
    'ssm:SendCommand',
    'iam:CreateUser',
    'iam:CreateRole',
    'events:PutRule',
    'events:PutTargets',
    'scheduler:CreateSchedule',
  ];

  test.each(LEFT_BEHIND)('%s is flagged as outliving the window', (action) => {
    expect(ofKind(one([action], ['arn:aws:s3:::named-bucket']), 'outlives-window')).toEqual([
      lookupAction(action)!.action,
    ]);
  });

  test.each([
    ['lambda:CreateFunction', 'iam:PassRole'],
    ['ec2:RunInstances', 'iam:PassRole'],
  ])('%s with %s: what it starts keeps its role after the window', (create, pass) => {
    const l = lint([
      { actions: [create], resources: ['*'] },
      { actions: [pass], resources: ['arn:aws:iam::210987654321:role/app'] },
    ]);
    expect(ofKind(l, 'outlives-window')).toEqual([`${create} + ${pass}`]);
  });

  test('reading and short-lived actions are not flagged', () => {
    expect(
      one(['s3:GetBucketPolicy', 'lambda:InvokeFunction', 'sts:GetCallerIdentity'], ['*']).risks,
    ).toEqual([]);
  });
});

describe('reaching jit-access itself, in any account', () => {
  const ACCOUNT = '210987654321'; // not the example account of the shipped config
  const POLICY_SHAPES = [
    `arn:aws:iam::${ACCOUNT}:policy/jit/jit-bob`,
    `arn:aws:iam::${ACCOUNT}:policy/jit/*`,
    `arn:aws:iam::${ACCOUNT}:policy/*`,
    `arn:aws:iam::${ACCOUNT}:policy/j*`,
    `arn:aws:iam::${ACCOUNT}:policy/\${aws:username}/*`,
    `arn:aws-us-gov:iam::${ACCOUNT}:policy/jit/jit-bob`,
    'arn:aws:iam::*:policy/*',
    'arn:aws:iam::*:policy/jit/jit-bob',
    'arn:*:iam::*:*',
    'arn:aws:iam::????????????:policy/jit/*',
    '*',
  ];

  test.each(POLICY_SHAPES)('policy changes on %s reach jit grants', (resource) => {
    for (const action of [
      'iam:CreatePolicy',
      'iam:DeletePolicy',
      'iam:TagPolicy',
      'iam:UntagPolicy',
    ])
      expect([resource, ofKind(one([action], [resource]), 'jit-access')]).toEqual([
        resource,
        [action],
      ]);
  });

  test.each([
    `arn:aws:iam::${ACCOUNT}:policy/team/reader`,
    `arn:aws:iam::*:policy/teams/*`,
    `arn:aws:iam::${ACCOUNT}:policy/jit`,
    `arn:aws:iam::${ACCOUNT}:role/jit/*`,
    `arn:aws:s3:::jit/*`,
  ])('policy changes on %s do not', (resource) => {
    expect(
      one(['iam:DeletePolicy', 'iam:TagPolicy', 'iam:CreatePolicy'], [resource]).risks,
    ).toEqual([]);
  });

  test.each([
    `arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-broker`,
    `arn:aws:iam::${ACCOUNT}:role/jit-access/*`,
    `arn:aws:iam::${ACCOUNT}:role/*`,
    'arn:aws:iam::*:role/jit*',
    'arn:aws-cn:iam::*:*',
    '*',
  ])('changing or passing the broker and runbook roles on %s is flagged', (resource) => {
    for (const action of ['iam:UpdateRole', 'iam:DeleteRole', 'iam:TagRole', 'iam:PassRole'])
      expect([resource, ofKind(one([action], [resource]), 'jit-access')]).toEqual([
        resource,
        [action],
      ]);
  });

  test('other roles are not jit-access', () => {
    const l = one(['iam:UpdateRole', 'iam:TagRole'], [`arn:aws:iam::${ACCOUNT}:role/app/*`]);
    expect(l.risks).toEqual([]);
  });

  test('the GitHub OIDC provider the roles trust is jit-access; another provider is not', () => {
    const github = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const google = `arn:aws:iam::${ACCOUNT}:oidc-provider/accounts.google.com`;
    expect(ofKind(one(['iam:DeleteOpenIDConnectProvider'], [github]), 'jit-access')).toEqual([
      'iam:DeleteOpenIDConnectProvider',
    ]);
    expect(one(['iam:DeleteOpenIDConnectProvider'], [google]).risks).toEqual([]);
  });

  test('attaching or detaching any policy can move a jit grant: flagged whatever the resource', () => {
    for (const action of ['iam:AttachUserPolicy', 'iam:DetachRolePolicy'])
      expect(
        ofKind(one([action], [`arn:aws:iam::${ACCOUNT}:user/people/bob`]), 'jit-access'),
      ).toEqual([action]);
  });
});

describe('the entries themselves', () => {
  test('every entry has at least one kind and a one-line reason of reviewable length', () => {
    for (const entry of ESCALATIONS) {
      expect([entry.actions, entry.kinds.length > 0]).toEqual([entry.actions, true]);
      expect(entry.reason).not.toMatch(/\n/);
      expect([entry.actions, entry.reason.length <= 200]).toEqual([entry.actions, true]);
    }
  });
});

describe('globsOverlap', () => {
  test.each([
    ['*', 'anything', true],
    ['a*c', 'abc', true],
    ['a*c', 'abd', false],
    ['arn:aws:iam::1:policy/*', 'arn:*:iam::*:policy/jit/*', true],
    ['policy/team/*', 'policy/jit/*', false],
    ['a?c', 'a*', true],
    ['a?c', 'ab', false],
    ['*x', 'y*', true],
    ['ABC', 'abc', true],
  ])('%s and %s overlap: %s', (a, b, overlap) => {
    expect(globsOverlap(a, b, true)).toBe(overlap);
    expect(globsOverlap(b, a, true)).toBe(overlap);
  });

  test('case matters when asked', () => {
    expect(globsOverlap('ABC', 'abc', false)).toBe(false);
  });
});
