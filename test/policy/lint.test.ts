import type { PermissionStatement } from '../../src/domain.js';
import { expandAction, lookupAction } from '../../src/policy/actions.js';
import { IAM_ACTION_COUNT } from '../../src/policy/data/iam-actions.generated.js';
import { ESCALATIONS, type EscalationEntry } from '../../src/policy/escalation.js';
import { lintStatements } from '../../src/policy/lint.js';

const ROLE = 'arn:aws:iam::123456789012:role/deploy';
const lint = (statements: PermissionStatement[], denyActions: string[] = []) =>
  lintStatements(statements, { pathPrefix: 'permissions', denyActions });
const one = (actions: string[], resources = ['*']) => lint([{ actions, resources }]);
const messages = (l: ReturnType<typeof lint>) =>
  l.problems.map((p) => `${p.severity} ${p.path}: ${p.message}`);

describe('unknown actions', () => {
  test('a typo is an error at its path, with the nearest real action', () => {
    const l = one(['s3:GetObject', 'S3:GetObjekt'], ['arn:aws:s3:::b/*']);
    expect(messages(l)).toEqual([
      'error permissions[0].actions[1]: unknown action `S3:GetObjekt`: did you mean `s3:GetObject`?',
    ]);
    expect(l.totalExpanded).toBe(1);
  });
});

describe('expansion and access levels', () => {
  test('counts are the distinct known actions, across statements', () => {
    const l = lint([
      { actions: ['s3:GetObject', 's3:ListBucket', 'iam:PutUserPolicy'], resources: [ROLE] },
      { actions: ['ec2:CreateTags', 'iam:CreateAccessKey', 's3:getobject'], resources: [ROLE] },
    ]);
    expect(l.accessLevels).toEqual({
      List: 1,
      Read: 1,
      Write: 1,
      'Permissions management': 1,
      Tagging: 1,
    });
    expect(l.totalExpanded).toBe(5);
    expect(l.statements).toEqual([
      { actionsWritten: 3, expanded: 3, wildcard: false },
      { actionsWritten: 3, expanded: 3, wildcard: false },
    ]);
  });

  test('a wildcard counts every action it matches in the data', () => {
    const get = expandAction('s3:Get*');
    const l = one(['s3:Get*', 's3:GetObject'], ['arn:aws:s3:::b/*']);
    expect(get.ok && l.statements[0]).toEqual({
      actionsWritten: 2,
      expanded: get.ok ? get.value.length : -1,
      wildcard: true,
    });
    expect(l.accessLevels.Write).toBe(0);
    expect(l.problems).toEqual([]);
  });

  test('a service-wide wildcard is a warning that says how much it grants', () => {
    const s3 = expandAction('s3:*');
    const l = one(['s3:*'], ['arn:aws:s3:::b', 'arn:aws:s3:::b/*']);
    expect(l.problems).toHaveLength(1);
    expect(l.problems[0]).toMatchObject({ path: 'permissions[0].actions[0]', severity: 'warning' });
    expect(l.problems[0]!.message).toContain(`all ${s3.ok ? s3.value.length : -1} actions`);
  });

  test('a full `*` is a high risk and counts every known action', () => {
    const started = performance.now();
    const l = one(['*']);
    const ms = performance.now() - started;
    expect(l.totalExpanded).toBe(IAM_ACTION_COUNT);
    expect(l.risks[0]).toMatchObject({
      action: '*',
      path: 'permissions[0].actions[0]',
      severity: 'high',
    });
    // Every escalation entry is reachable through `*`.
    expect(l.risks).toHaveLength(ESCALATIONS.length + 1);
    expect(ms).toBeLessThan(2000);
  });

  test('resource `*` with write actions is a warning; with reads only it is not', () => {
    expect(messages(one(['s3:PutObject', 's3:GetObject']))).toEqual([
      'warning permissions[0].resources[0]: resource `*` lets 1 write or permissions-management action touch every resource: name the resources',
    ]);
    expect(one(['s3:GetObject', 's3:ListAllMyBuckets']).problems).toEqual([]);
  });
});

describe('denyActions', () => {
  test('a denied action is an error, matched case-insensitively', () => {
    const USERS = 'arn:aws:iam::123456789012:user/*';
    expect(messages(one(['IAM:createuser'], [USERS]))).toEqual([]);
    expect(
      messages(lint([{ actions: ['IAM:createuser'], resources: [USERS] }], ['iam:CreateUser'])),
    ).toEqual([
      'error permissions[0].actions[0]: `iam:CreateUser` is never granted here (denyActions: `iam:CreateUser`)',
    ]);
  });

  test('a wildcard that would include a denied action is an error', () => {
    const l = lint([{ actions: ['s3:GetObject', 'iam:*'], resources: [ROLE] }], ['iam:CreateUser']);
    expect(l.problems.filter((p) => p.severity === 'error')).toEqual([
      {
        path: 'permissions[0].actions[1]',
        severity: 'error',
        code: 'ACTION_DENIED',
        message:
          '`iam:*` includes 1 denied action (iam:CreateUser; denyActions: `iam:CreateUser`): list the actions needed instead',
      },
    ]);
  });

  test('a wildcard deny pattern catches wildcard requests too', () => {
    const l = lint([{ actions: ['*'], resources: [ROLE] }], ['cloudtrail:*']);
    expect(l.problems[0]?.message).toMatch(/^`\*` includes \d+ denied actions \(cloudtrail:/);
  });
});

describe('privilege escalation', () => {
  /** A concrete action for each entry action; patterns get one real action they cover. */
  function requested(entry: EscalationEntry): string[] {
    return entry.actions.map((pattern) => {
      const expanded = expandAction(pattern);
      if (!expanded.ok) throw new Error(`${pattern}: ${expanded.problems[0]!.message}`);
      const fit = expanded.value.find((a) => !entry.levels || entry.levels.includes(a.accessLevel));
      return fit!.action;
    });
  }

  test('every entry names known actions', () => {
    for (const entry of ESCALATIONS)
      for (const pattern of entry.actions)
        expect([pattern, expandAction(pattern).ok]).toEqual([pattern, true]);
  });

  test.each(ESCALATIONS.map((entry) => [entry.actions.join(' + '), entry] as const))(
    '%s is flagged',
    (_, entry) => {
      const actions = requested(entry);
      const l = lint(actions.map((action) => ({ actions: [action], resources: ['*'] })));
      const risk = l.risks.find(
        (r) => r.action === actions.join(' + ') && r.reason === entry.reason,
      );
      expect(risk).toEqual({
        action: actions.join(' + '),
        kinds: entry.kinds,
        reason: entry.reason,
        sources: entry.sources,
        path: 'permissions[0].actions[0]',
        severity: 'high',
      });
      expect(entry.sources.every((s) => s.startsWith('https://'))).toBe(true);
    },
  );

  test('sts:AssumeRole is high-risk on a wildcard role, not on one named role', () => {
    expect(one(['sts:AssumeRole'], [ROLE]).risks).toEqual([]);
    expect(one(['sts:AssumeRole'], ['arn:aws:iam::123456789012:role/*']).risks).toHaveLength(1);
  });

  test('policy changes are high-risk when they can reach jit grant policies', () => {
    const team = 'arn:aws:iam::123456789012:policy/team/reader';
    expect(one(['iam:DeletePolicy', 'iam:TagPolicy'], [team]).risks).toEqual([]);
    for (const jit of [
      'arn:aws:iam::123456789012:policy/jit/*',
      'arn:aws:iam::*:policy/jit/jit-bob',
      '*',
    ])
      expect(one(['iam:UntagPolicy'], [jit]).risks.map((r) => r.action)).toEqual([
        'iam:UntagPolicy',
      ]);
  });

  test('a combination applies only when every part is granted, in any statement', () => {
    expect(one(['lambda:CreateFunction'], ['*']).risks).toEqual([]);
    const both = lint([
      { actions: ['lambda:CreateFunction'], resources: ['*'] },
      { actions: ['iam:PassRole'], resources: [ROLE] },
    ]);
    expect(both.risks.map((r) => r.action)).toEqual(['lambda:CreateFunction + iam:PassRole']);
  });

  test('organizations reads are not flagged, its writes are', () => {
    expect(one(['organizations:ListAccounts', 'organizations:Describe*']).risks).toEqual([]);
    expect(one(['organizations:CreateAccount']).risks.map((r) => r.action)).toEqual([
      'organizations:CreateAccount',
    ]);
  });

  test('the flagged name is canonical whatever the case written', () => {
    expect(one(['IAM:CREATEACCESSKEY']).risks.map((r) => r.action)).toEqual([
      lookupAction('iam:CreateAccessKey')!.action,
    ]);
  });
});

describe('an action whose resource types match none of the statement’s resources', () => {
  const BUCKET = 'arn:aws:s3:::acme-logs';
  const OBJECTS = 'arn:aws:s3:::acme-logs/*';
  const mismatches = (actions: string[], resources: string[]) =>
    one(actions, resources)
      .problems.filter((p) => p.code === 'ACTION_MATCHES_NO_RESOURCE')
      .map((p) => `${p.path}: ${p.message}`);

  test('an object action on a bucket ARN warns that it grants nothing', () => {
    expect(mismatches(['s3:GetObject'], [BUCKET])).toEqual([
      'permissions[0].actions[0]: `s3:GetObject` acts on accesspointobject (arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}), object (arn:${Partition}:s3:::${BucketName}/${ObjectName}), and none of this statement’s resources is one: as written it grants nothing; add a resource of that form'.replace(
        '’',
        "'",
      ),
    ]);
  });

  test('a bucket action on the objects warns too', () => {
    expect(mismatches(['s3:ListBucket'], [OBJECTS])).toEqual([
      expect.stringMatching(
        /^permissions\[0\]\.actions\[0\]: `s3:ListBucket` acts on .*bucket \(arn:\$\{Partition\}:s3:::\$\{BucketName\}\)/,
      ),
    ]);
  });

  test('each action is judged on its own, with the statement’s resources together', () => {
    expect(mismatches(['s3:GetObject', 's3:ListBucket'], [BUCKET, OBJECTS])).toEqual([]);
    expect(mismatches(['s3:GetObject', 's3:ListBucket'], [BUCKET])).toEqual([
      expect.stringMatching(/^permissions\[0\]\.actions\[0\]: `s3:GetObject`/),
    ]);
  });

  test('wildcards and policy variables may match anything they could', () => {
    expect(mismatches(['s3:GetObject'], ['arn:aws:s3:::acme-*'])).toEqual([]);
    expect(mismatches(['s3:ListBucket'], ['arn:aws:s3:::${aws:username}'])).toEqual([]);
    expect(mismatches(['ec2:StopInstances'], ['arn:aws:ec2:*:*:instance/*'])).toEqual([]);
    expect(mismatches(['iam:PassRole'], ['arn:aws:iam::123456789012:role/team/deploy'])).toEqual(
      [],
    );
  });

  test('an action on another service’s ARN grants nothing', () => {
    expect(mismatches(['iam:PassRole'], [OBJECTS])).toEqual([
      expect.stringContaining(
        '`iam:PassRole` acts on role (arn:${Partition}:iam::${Account}:role/${RoleNameWithPath})',
      ),
    ]);
  });

  test('an action that acts on no resource type needs `*`', () => {
    expect(mismatches(['s3:ListAllMyBuckets'], [BUCKET])).toEqual([
      "permissions[0].actions[0]: `s3:ListAllMyBuckets` acts on no specific resource, so it is granted only with resource `*`: put it in a statement with resources: ['*']",
    ]);
    expect(mismatches(['s3:ListAllMyBuckets'], ['*'])).toEqual([]);
  });

  test('a pattern warns only when none of its actions fits', () => {
    expect(mismatches(['s3:Get*'], [BUCKET])).toEqual([]);
    expect(mismatches(['s3:GetObject*'], [BUCKET])).toEqual([
      expect.stringMatching(
        /^permissions\[0\]\.actions\[0\]: none of the \d+ actions `s3:GetObject\*` matches/,
      ),
    ]);
  });

  test('the profiles of the shipped config raise no such warning', () => {
    expect(mismatches(['s3:GetObject', 's3:ListBucket'], [BUCKET, OBJECTS])).toEqual([]);
    expect(
      mismatches(['ec2:Describe*', 's3:ListAllMyBuckets', 'logs:FilterLogEvents'], ['*']),
    ).toEqual([]);
  });
});
