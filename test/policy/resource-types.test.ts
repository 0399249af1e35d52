import { ACCESS_LEVELS, lookupAction } from '../../src/policy/actions.js';
import { IAM_ACTIONS } from '../../src/policy/data/iam-actions.generated.js';
import { IAM_RESOURCES } from '../../src/policy/data/iam-resources.generated.js';
import { resourceTypesOf } from '../../src/policy/resource-types.js';

test('every service lists the resource types of each of its actions, in the action data’s order', () => {
  const misaligned = Object.keys(IAM_ACTIONS).filter((service) => {
    const names = ACCESS_LEVELS.flatMap((_, level) =>
      IAM_ACTIONS[service]![level] === '' ? [] : IAM_ACTIONS[service]![level]!.split(','),
    );
    return IAM_RESOURCES[service]?.[1].split(',').length !== names.length;
  });
  expect(misaligned).toEqual([]);
});

test.each([
  ['s3:GetObject', ['accesspointobject', 'object']],
  ['s3:ListBucket', ['accesspoint', 'bucket']],
  ['s3:ListAllMyBuckets', []],
  ['iam:PassRole', ['role']],
  ['ec2:DescribeInstances', []],
])('%s acts on %j', (action, types) => {
  expect(resourceTypesOf(lookupAction(action)!).map((t) => t.name)).toEqual(types);
});
