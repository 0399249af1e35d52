/**
 * What deploying deploy/jit-access-identity-center.yaml takes and gives: the parameters the
 * tests use are ones CloudFormation accepts, a management account in the allowed list is
 * refused at deploy time, and the outputs are what the config needs.
 */
import { IC_PARAMS, MANAGEMENT_ACCOUNT, evaluate, identityCenterTemplate } from './template.js';

const template = identityCenterTemplate() as ReturnType<typeof identityCenterTemplate> & {
  Rules: Record<string, { Assertions: { Assert: unknown }[] }>;
};

/** CloudFormation anchors AllowedPattern; for a CommaDelimitedList it applies to each value. */
const accepted = (name: string, value: string | string[]): boolean => {
  const pattern = template.Parameters[name]?.AllowedPattern;
  if (pattern === undefined) return true;
  return [value].flat().every((v) => new RegExp(`^(?:${pattern})$`).test(v));
};

test('the test parameters are ones CloudFormation accepts', () => {
  const given = Object.entries(IC_PARAMS).filter(([name]) => !name.startsWith('AWS::'));
  expect(given.filter(([name, value]) => !accepted(name, value))).toEqual([]);
  const required = Object.entries(template.Parameters).filter(([, p]) => p.Default === undefined);
  expect(required.map(([name]) => name).filter((name) => !(name in IC_PARAMS))).toEqual([]);
});

test.each([
  ['IdentityCenterInstanceId', 'arn:aws:sso:::instance/ssoins-0123456789abcdef'],
  ['IdentityStoreId', 'd-0123456789 '],
  ['ManagementAccountId', '11111111111'],
  ['AllowedAccountIds', ['222222222222', '*']],
  ['AllowedAccountIds', ['222222222222', '']],
])('%s refuses %j', (name, value) => {
  expect(accepted(name, value)).toBe(false);
});

/** The rule functions this template uses. */
const holds = (node: unknown, params: Record<string, string | string[]>): boolean | unknown => {
  const n = node as Record<string, unknown[]>;
  if (n['Fn::Not']) return !holds(n['Fn::Not'][0], params);
  if (n['Fn::Contains']) {
    const [list, value] = n['Fn::Contains'].map((x) => evaluate(x, params));
    return (list as string[]).includes(value as string);
  }
  throw new Error(`unsupported rule function ${JSON.stringify(node)}`);
};
const deployable = (params: Record<string, string | string[]>) =>
  Object.values(template.Rules).every((rule) =>
    rule.Assertions.every(({ Assert }) => holds(Assert, params) === true),
  );

test('listing the management account among the allowed accounts fails the deployment', () => {
  expect(deployable(IC_PARAMS)).toBe(true);
  expect(
    deployable({ ...IC_PARAMS, AllowedAccountIds: ['222222222222', MANAGEMENT_ACCOUNT] }),
  ).toBe(false);
});

test('the outputs name the broker role, the instance and the identity store', () => {
  expect(Object.keys(template.Outputs).sort()).toEqual([
    'BrokerRoleArn',
    'IdentityStoreId',
    'InstanceArn',
  ]);
  expect(evaluate(template.Outputs.InstanceArn, IC_PARAMS)).toEqual({
    Value: 'arn:aws:sso:::instance/ssoins-0123456789abcdef',
  });
});
