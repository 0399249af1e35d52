/**
 * The broker role's permission policy, evaluated by a real IAM evaluator: it can manage
 * `/jit/` policies and attach them to people, and nothing else. If a grant workflow were ever
 * subverted, this is the blast radius.
 */
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { load } from 'js-yaml';
import { ACCOUNT, PARAMS, resolve, role } from './template.js';

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

/**
 * Usage reports through Athena (`cloudtrail.athena` in the config): a separate policy on the
 * broker role, created only when the CloudTrailAthena* parameters are all given. With it the
 * broker may query one workgroup over one table, read the trail's bucket, and write only under
 * the results location; everything forbidden above stays forbidden.
 */
describe('with the Athena parameters', () => {
  const ATHENA: Record<string, string> = {
    CloudTrailAthenaRegion: 'eu-west-1',
    CloudTrailAthenaWorkGroup: 'jit-access',
    CloudTrailAthenaDatabase: 'cloudtrail',
    CloudTrailAthenaTable: 'org_trail',
    CloudTrailBucket: 'acme-org-trail',
    AthenaResultsLocation: 'acme-athena-results/jit-access',
  };
  const template = load(readFileSync('deploy/jit-access.yaml', 'utf8')) as {
    Parameters: Record<string, { Default?: string }>;
    Conditions: Record<string, unknown>;
    Resources: Record<string, { Condition?: string; Properties: Record<string, unknown> }>;
  };
  const athenaPolicy = template.Resources.BrokerAthenaPolicy!;
  const policyDocument = resolve(athenaPolicy.Properties.PolicyDocument, {
    ...PARAMS,
    ...ATHENA,
  }) as { Statement: { Action: string | string[] }[] };

  /** CloudFormation's condition functions, as much of them as the template uses. */
  const value = (node: unknown, params: Record<string, string>): unknown => {
    const n = node as Record<string, unknown>;
    if (typeof node === 'string') return node;
    if ('Ref' in n) {
      const name = String(n.Ref);
      return params[name] ?? template.Parameters[name]?.Default ?? '';
    }
    if ('Fn::Equals' in n) {
      const [a, b] = n['Fn::Equals'] as unknown[];
      return value(a, params) === value(b, params);
    }
    if ('Fn::Not' in n) return !value((n['Fn::Not'] as unknown[])[0], params);
    if ('Fn::And' in n) return (n['Fn::And'] as unknown[]).every((c) => value(c, params) === true);
    throw new Error(`unsupported condition ${JSON.stringify(node)}`);
  };
  const created = (params: Record<string, string>) =>
    value(template.Conditions[athenaPolicy.Condition!], params) === true;

  test('the policy is attached to the broker role and exists only with all five parameters', () => {
    expect(athenaPolicy.Properties.RoleName).toEqual({ Ref: 'BrokerRole' });
    expect(created({})).toBe(false);
    expect(created(ATHENA)).toBe(true);
    for (const name of Object.keys(ATHENA).filter((n) => n !== 'CloudTrailAthenaWorkGroup')) {
      expect(created({ ...ATHENA, [name]: '' })).toBe(false);
    }
  });

  test('it lists only the actions usage queries need', () => {
    expect(policyDocument.Statement.flatMap((s) => s.Action).sort()).toEqual([
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StartQueryExecution',
      'glue:GetDatabase',
      'glue:GetPartitions',
      'glue:GetTable',
      's3:GetObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
  });

  async function decideWithAthena(action: string, resource: string) {
    const response = await runSimulation(
      {
        identityPolicies: [
          ...broker.Properties.Policies.map((p) => ({
            name: p.PolicyName,
            policy: p.PolicyDocument,
          })),
          { name: 'read-cloudtrail-athena', policy: policyDocument },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        request: {
          action,
          principal: BROKER_ARN,
          resource: { accountId: ACCOUNT, resource },
          contextVariables: {},
        },
      },
      {},
    );
    if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
    return response.overallResult;
  }

  const WORKGROUP = `arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/jit-access`;
  const GLUE = `arn:aws:glue:eu-west-1:${ACCOUNT}`;
  test.each([
    ['athena:StartQueryExecution', WORKGROUP],
    ['athena:GetQueryExecution', WORKGROUP],
    ['athena:GetQueryResults', WORKGROUP],
    ['glue:GetDatabase', `${GLUE}:catalog`],
    ['glue:GetDatabase', `${GLUE}:database/cloudtrail`],
    ['glue:GetTable', `${GLUE}:table/cloudtrail/org_trail`],
    ['glue:GetPartitions', `${GLUE}:table/cloudtrail/org_trail`],
    ['s3:GetObject', 'arn:aws:s3:::acme-org-trail/AWSLogs/o-abc123/x.json.gz'],
    ['s3:ListBucket', 'arn:aws:s3:::acme-org-trail'],
    ['s3:PutObject', 'arn:aws:s3:::acme-athena-results/jit-access/q-1.csv'],
    ['s3:GetObject', 'arn:aws:s3:::acme-athena-results/jit-access/q-1.csv'],
    ['cloudtrail:LookupEvents', '*'],
  ])('the broker may %s on %s', async (action, resource) => {
    expect(await decideWithAthena(action, resource)).toBe('Allowed');
  });

  test.each([
    ...FORBIDDEN.filter(([, , context]) => Object.keys(context).length === 0).map(
      ([action, resource]) => [action, resource] as [string, string],
    ),
    ['athena:StartQueryExecution', `arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/primary`],
    ['athena:StartQueryExecution', `arn:aws:athena:us-east-1:${ACCOUNT}:workgroup/jit-access`],
    ['athena:DeleteWorkGroup', WORKGROUP],
    ['athena:UpdateWorkGroup', WORKGROUP],
    ['athena:StopQueryExecution', WORKGROUP],
    ['glue:GetTable', `${GLUE}:table/cloudtrail/payroll`],
    ['glue:GetTable', `${GLUE}:table/finance/org_trail`],
    ['glue:UpdateTable', `${GLUE}:table/cloudtrail/org_trail`],
    ['glue:DeleteTable', `${GLUE}:table/cloudtrail/org_trail`],
    ['glue:CreateTable', `${GLUE}:table/cloudtrail/evil`],
    ['s3:PutObject', 'arn:aws:s3:::acme-org-trail/AWSLogs/o-abc123/forged.json.gz'],
    ['s3:DeleteObject', 'arn:aws:s3:::acme-org-trail/AWSLogs/o-abc123/x.json.gz'],
    ['s3:PutBucketPolicy', 'arn:aws:s3:::acme-org-trail'],
    ['s3:PutLifecycleConfiguration', 'arn:aws:s3:::acme-org-trail'],
    ['s3:DeleteObject', 'arn:aws:s3:::acme-athena-results/jit-access/q-1.csv'],
    ['s3:PutObject', 'arn:aws:s3:::acme-athena-results/other/q-1.csv'],
    ['s3:GetObject', 'arn:aws:s3:::acme-athena-results/other/q-1.csv'],
    ['s3:ListBucket', 'arn:aws:s3:::acme-prod-logs'],
    ['s3:PutObject', 'arn:aws:s3:::acme-prod-logs/x'],
  ])('the broker still may not %s on %s', async (action, resource) => {
    expect(await decideWithAthena(action, resource)).not.toBe('Allowed');
  });
});
