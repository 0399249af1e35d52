/**
 * The broker role's permission policy, evaluated by a real IAM evaluator: it can manage
 * `/jit/` policies and attach them to people, and nothing else. If a grant workflow were ever
 * subverted, this is the blast radius.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, role } from './template.js';

const broker = role('BrokerRole');
const BROKER_ARN = `arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-broker`;
const JIT_POLICY = `arn:aws:iam::${ACCOUNT}:policy/jit/jit-alice-logs`;
const PERSON = `arn:aws:iam::${ACCOUNT}:user/people/alice`;

async function decide(action: string, resource: string, context: Record<string, string> = {}) {
  const response = await runSimulation(
    {
      identityPolicies: broker.Properties.Policies.map((p) => ({
        name: p.PolicyName,
        policy: p.PolicyDocument,
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action,
        principal: BROKER_ARN,
        resource: { accountId: ACCOUNT, resource },
        contextVariables: context,
      },
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

test.each([
  ['iam:CreatePolicy', JIT_POLICY, {}],
  ['iam:TagPolicy', JIT_POLICY, {}],
  ['iam:DeletePolicy', JIT_POLICY, {}],
  ['iam:DeletePolicyVersion', JIT_POLICY, {}],
  ['iam:ListEntitiesForPolicy', JIT_POLICY, {}],
  ['iam:ListPolicies', '*', {}],
  ['iam:AttachUserPolicy', PERSON, { 'iam:PolicyARN': JIT_POLICY }],
  ['iam:DetachUserPolicy', PERSON, { 'iam:PolicyARN': JIT_POLICY }],
  [
    'iam:AttachRolePolicy',
    `arn:aws:iam::${ACCOUNT}:role/people/mona-sre`,
    { 'iam:PolicyARN': JIT_POLICY },
  ],
  ['cloudtrail:LookupEvents', '*', {}],
])('the broker may %s on %s', async (action, resource, context) => {
  expect(await decide(action, resource, context)).toBe('Allowed');
});

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const FORBIDDEN: [string, string, Record<string, string>][] = [
  ['iam:CreatePolicy', `arn:aws:iam::${ACCOUNT}:policy/admin`, {}],
  ['iam:CreatePolicy', `arn:aws:iam::${ACCOUNT}:policy/jitx/escape`, {}],
  ['iam:DeletePolicy', `arn:aws:iam::${ACCOUNT}:policy/security-baseline`, {}],
  ['iam:CreatePolicyVersion', JIT_POLICY, {}],
  ['iam:SetDefaultPolicyVersion', JIT_POLICY, {}],
  ['iam:UntagPolicy', JIT_POLICY, {}],
  ['iam:AttachUserPolicy', PERSON, { 'iam:PolicyARN': ADMIN }],
  [
    'iam:AttachRolePolicy',
    `arn:aws:iam::${ACCOUNT}:role/people/mona-sre`,
    { 'iam:PolicyARN': ADMIN },
  ],
  ['iam:AttachUserPolicy', PERSON, { 'iam:PolicyARN': `arn:aws:iam::${ACCOUNT}:policy/admin` }],
  [
    'iam:AttachUserPolicy',
    `arn:aws:iam::${ACCOUNT}:user/ci/deployer`,
    { 'iam:PolicyARN': JIT_POLICY },
  ],
  ['iam:AttachRolePolicy', BROKER_ARN, { 'iam:PolicyARN': JIT_POLICY }],
  [
    'iam:AttachRolePolicy',
    `arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-runbook`,
    { 'iam:PolicyARN': JIT_POLICY },
  ],
  [
    'iam:AttachGroupPolicy',
    `arn:aws:iam::${ACCOUNT}:group/admins`,
    { 'iam:PolicyARN': JIT_POLICY },
  ],
  ['iam:PutUserPolicy', PERSON, {}],
  ['iam:PutRolePolicy', BROKER_ARN, {}],
  ['iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/people/mona-sre`, {}],
  ['iam:UpdateAssumeRolePolicy', BROKER_ARN, {}],
  ['iam:DeleteRolePolicy', BROKER_ARN, {}],
  ['iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/backdoor`, {}],
  ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/backdoor`, {}],
  ['iam:CreateAccessKey', PERSON, {}],
  ['iam:CreateLoginProfile', PERSON, {}],
  ['iam:UpdateLoginProfile', PERSON, {}],
  ['iam:AddUserToGroup', `arn:aws:iam::${ACCOUNT}:group/admins`, {}],
  ['iam:PassRole', BROKER_ARN, {}],
  ['iam:CreateOpenIDConnectProvider', `arn:aws:iam::${ACCOUNT}:oidc-provider/evil.example`, {}],
  [
    'iam:UpdateOpenIDConnectProviderThumbprint',
    `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    {},
  ],
  ['iam:DeleteRolePermissionsBoundary', `arn:aws:iam::${ACCOUNT}:role/people/mona-sre`, {}],
  ['sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`, {}],
  ['s3:GetObject', 'arn:aws:s3:::acme-prod-logs/secret.txt', {}],
  ['ec2:RunInstances', `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`, {}],
  ['lambda:UpdateFunctionCode', `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:api`, {}],
  ['cloudtrail:StopLogging', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org`, {}],
  ['cloudtrail:DeleteTrail', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org`, {}],
  ['organizations:LeaveOrganization', '*', {}],
  ['kms:ScheduleKeyDeletion', `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234`, {}],
  ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db`, {}],
];

test(`at least 30 forbidden broker actions (${FORBIDDEN.length} listed)`, () => {
  expect(FORBIDDEN.length).toBeGreaterThanOrEqual(30);
});

test.each(FORBIDDEN)('the broker may not %s on %s', async (action, resource, context) => {
  expect(await decide(action, resource, context)).not.toBe('Allowed');
});
