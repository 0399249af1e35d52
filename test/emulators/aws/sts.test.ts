import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import {
  CreatePolicyCommand,
  DeletePolicyCommand,
  IAMClient,
  ListPoliciesCommand,
} from '@aws-sdk/client-iam';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { startGitHubEmulator, type GitHubEmulator } from '../../../emulators/github/server.js';
import type { RunContext } from '../../../emulators/github/oidc/claims.js';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import { ACCOUNT, T0, codeOf, startAt, stsClient } from './world.js';

const REPO = 'acme/access';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/jit-broker`;
const GRANT_RUN: RunContext = {
  repository: REPO,
  eventName: 'push',
  environment: 'jit-grant',
  workflowPath: '.github/workflows/grant.yml',
};

let aws: AwsEmulator;
let gh: GitHubEmulator;
let sts: STSClient;
let host: string;

beforeEach(async () => {
  aws = await startAt();
  gh = await startGitHubEmulator({ clock: () => aws.clock.now() });
  gh.state.addRepo(REPO, { files: { 'README.md': '# access\n' } });
  const provider = aws.state.addOidcProvider({ url: gh.oidc.issuer.issuer });
  host = provider.url;
  aws.state.addRole({
    name: 'jit-broker',
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: provider.arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${host}:aud`]: 'sts.amazonaws.com',
              [`${host}:sub`]: `repo:${REPO}:environment:jit-grant`,
            },
            StringLike: { [`${host}:job_workflow_ref`]: `${REPO}/.github/workflows/grant.yml@*` },
          },
        },
      ],
    },
  });
  // Unsigned: the web identity token is the credential.
  sts = new STSClient({ endpoint: aws.url, region: 'us-east-1', maxAttempts: 1 });
});
afterEach(async () => {
  await gh.close();
  await aws.close();
});

const assume = (token: string, extra: Partial<{ DurationSeconds: number; RoleArn: string }> = {}) =>
  sts.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: ROLE_ARN,
      RoleSessionName: 'grant-42',
      WebIdentityToken: token,
      ...extra,
    }),
  );

describe('AssumeRoleWithWebIdentity', () => {
  it('accepts a GitHub token that satisfies the trust policy and issues a session', async () => {
    const token = await gh.oidc.mint(GRANT_RUN, 'sts.amazonaws.com');
    const out = await assume(token, { DurationSeconds: 900 });
    const role = aws.state.entity('role', ACCOUNT, 'jit-broker')!;
    expect(out).toMatchObject({
      Credentials: {
        AccessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{17}$/),
        SecretAccessKey: expect.any(String),
        SessionToken: expect.any(String),
        Expiration: new Date(T0.getTime() + 900_000),
      },
      SubjectFromWebIdentityToken: `repo:${REPO}:environment:jit-grant`,
      AssumedRoleUser: {
        Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/jit-broker/grant-42`,
        AssumedRoleId: `${role.id}:grant-42`,
      },
      Provider: gh.oidc.issuer.issuer,
      Audience: 'sts.amazonaws.com',
    });

    const creds = out.Credentials!;
    const keys = {
      accessKeyId: creds.AccessKeyId!,
      secretAccessKey: creds.SecretAccessKey!,
      sessionToken: creds.SessionToken!,
    };
    const me = await stsClient(aws, keys).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({
      Account: ACCOUNT,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/jit-broker/grant-42`,
      UserId: `${role.id}:grant-42`,
    });
    const assumed = aws.state.cloudtrail.events.find(
      (e) => e.eventName === 'AssumeRoleWithWebIdentity',
    )!;
    expect(assumed).toMatchObject({
      username: `repo:${REPO}:environment:jit-grant`,
      eventSource: 'sts.amazonaws.com',
      record: {
        userIdentity: {
          type: 'WebIdentityUser',
          principalId: `${host}:sts.amazonaws.com:repo:${REPO}:environment:jit-grant`,
          userName: `repo:${REPO}:environment:jit-grant`,
          identityProvider: host,
        },
        requestParameters: { roleArn: ROLE_ARN, roleSessionName: 'grant-42', durationSeconds: 900 },
        responseElements: { credentials: { accessKeyId: creds.AccessKeyId } },
        recipientAccountId: ACCOUNT,
      },
    });
    expect(JSON.stringify(assumed.record)).not.toContain(creds.SecretAccessKey!);
    // Calls made with the session name the web identity provider in their session context.
    const called = aws.state.cloudtrail.events.find((e) => e.eventName === 'GetCallerIdentity')!;
    expect(called.record.userIdentity).toMatchObject({
      type: 'AssumedRole',
      sessionContext: {
        webIdFederationData: { federatedProvider: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}` },
      },
    });
    aws.clock.advance(900_000);
    expect(await codeOf(stsClient(aws, keys).send(new GetCallerIdentityCommand({})))).toBe(
      'ExpiredToken',
    );
  });

  it('refuses a token for another audience', async () => {
    const token = await gh.oidc.mint(GRANT_RUN, 'api://other');
    const error = await assume(token).catch((e: Error) => e);
    expect(error).toMatchObject({
      name: 'InvalidIdentityTokenException',
      message: 'Incorrect token audience',
    });
  });

  it('refuses a subject or workflow the trust policy does not name', async () => {
    const otherEnv = await gh.oidc.mint({ ...GRANT_RUN, environment: 'dev' }, 'sts.amazonaws.com');
    const error = await assume(otherEnv).catch((e: Error) => e);
    expect(error).toMatchObject({
      name: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      $metadata: { httpStatusCode: 403 },
    });
    const otherWorkflow = await gh.oidc.mint(
      { ...GRANT_RUN, workflowPath: '.github/workflows/evil.yml' },
      'sts.amazonaws.com',
    );
    expect(await codeOf(assume(otherWorkflow))).toBe('AccessDenied');
    const good = await gh.oidc.mint(GRANT_RUN, 'sts.amazonaws.com');
    expect(await codeOf(assume(good, { RoleArn: `arn:aws:iam::${ACCOUNT}:role/nope` }))).toBe(
      'AccessDenied',
    );
  });

  it('refuses an expired token against the emulator clock', async () => {
    const token = await gh.oidc.mint(GRANT_RUN, 'sts.amazonaws.com');
    const { exp } = decodeJwt(token);
    aws.clock.set(new Date(exp! * 1000 + 1000));
    const error = await assume(token).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'ExpiredTokenException' });
  });

  it('refuses a token whose signature does not verify', async () => {
    const token = await gh.oidc.mint(GRANT_RUN, 'sts.amazonaws.com');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, environment: 'x' })).toString(
      'base64url',
    );
    expect(await codeOf(assume(`${header}.${forged}.${signature}`))).toBe('InvalidIdentityToken');

    // Same issuer and key id, someone else's key.
    const { privateKey } = await generateKeyPair('RS256');
    const impostor = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: gh.oidc.issuer.kid })
      .sign(privateKey);
    expect(await codeOf(assume(impostor))).toBe('InvalidIdentityToken');
    expect(await codeOf(assume('not.a.jwt'))).toBe('InvalidIdentityToken');
  });

  it('refuses a token from an issuer with no OIDC provider in the account', async () => {
    const other = await startGitHubEmulator({ clock: () => aws.clock.now() });
    try {
      other.state.addRepo(REPO, { files: { 'README.md': '#\n' } });
      const token = await other.oidc.mint(GRANT_RUN, 'sts.amazonaws.com');
      const error = await assume(token).catch((e: Error) => e);
      expect(error).toMatchObject({
        name: 'InvalidIdentityTokenException',
        message: `No OpenIDConnect provider found in your account for ${other.oidc.issuer.issuer}`,
      });
    } finally {
      await other.close();
    }
  });

  it('caps the session at the role maximum', async () => {
    const token = await gh.oidc.mint(GRANT_RUN, 'sts.amazonaws.com');
    expect(await codeOf(assume(token, { DurationSeconds: 7200 }))).toBe('ValidationError');
  });
});

it('AssumeRole is not served', async () => {
  const admin = stsClient(aws);
  expect(
    await codeOf(
      admin.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'plain' })),
    ),
  ).toBe('InvalidAction');
});

/** The keys of a web identity session, for an IAM client that acts as it. */
async function sessionIam(extra: Partial<{ Policy: string; PolicyArns: { arn: string }[] }>) {
  const out = await sts.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: ROLE_ARN,
      RoleSessionName: 'narrowed',
      WebIdentityToken: await gh.oidc.mint(GRANT_RUN, 'sts.amazonaws.com'),
      ...extra,
    }),
  );
  const creds = out.Credentials!;
  const iam = new IAMClient({
    ...aws.clientConfig({
      accessKeyId: creds.AccessKeyId!,
      secretAccessKey: creds.SecretAccessKey!,
      sessionToken: creds.SessionToken!,
    }),
    maxAttempts: 1,
  });
  return { out, iam };
}

const policyDoc = (effect: 'Allow' | 'Deny', action: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: effect, Action: action, Resource: '*' }],
  });

const createPolicy = (iam: IAMClient) =>
  iam.send(
    new CreatePolicyCommand({
      PolicyName: 'p',
      PolicyDocument: policyDoc('Allow', 'logs:GetLogEvents'),
    }),
  );

/**
 * Session policies (`Policy`, `PolicyArns`): the session may do what both the role's policies
 * and the session policies allow, and no more
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session).
 */
describe('session policies', () => {
  beforeEach(() => {
    const role = aws.state.entity('role', ACCOUNT, 'jit-broker')!;
    role.inlinePolicies.set('broker', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iam:CreatePolicy', 'iam:ListPolicies'], Resource: '*' },
      ],
    });
  });

  it('an inline session policy that denies everything denies what the role allows', async () => {
    const { iam } = await sessionIam({ Policy: policyDoc('Deny', '*') });
    const error = await createPolicy(iam).catch((e: Error) => e);
    expect(error).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringMatching(/with an explicit deny in a session policy$/),
    });
  });

  it('the session does only what both allow: the session policy narrows and never widens', async () => {
    const { out, iam } = await sessionIam({
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['iam:ListPolicies', 'iam:DeletePolicy'], Resource: '*' },
        ],
      }),
    });
    expect(out.PackedPolicySize).toEqual(expect.any(Number));
    expect(await codeOf(iam.send(new ListPoliciesCommand({})))).toBe('ok');
    const refused = await createPolicy(iam).catch((e: Error) => e);
    expect(refused).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringMatching(
        /because no session policy allows the iam:CreatePolicy action$/,
      ),
    });
    // The session policy allows DeletePolicy; the role does not, so neither does the session.
    const widened = await iam
      .send(new DeletePolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/x` }))
      .catch((e: Error) => e);
    expect(widened).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringMatching(/because no identity-based policy allows/),
    });
    // Sessions without session policies keep the role's whole permissions.
    const { iam: whole } = await sessionIam({});
    expect(await codeOf(createPolicy(whole))).toBe('ok');
  });

  it('managed session policies (PolicyArns) narrow the same way; another account’s allow nothing', async () => {
    const list = aws.state.addManagedPolicy({
      name: 'list-only',
      document: policyDoc('Allow', 'iam:ListPolicies'),
    });
    const { iam } = await sessionIam({ PolicyArns: [{ arn: list.arn }] });
    expect(await codeOf(iam.send(new ListPoliciesCommand({})))).toBe('ok');
    expect(await codeOf(createPolicy(iam))).toBe('AccessDenied');

    const elsewhere = aws.state.addManagedPolicy({
      accountId: '210987654321',
      name: 'everything',
      document: policyDoc('Allow', '*'),
    });
    const { iam: foreign } = await sessionIam({ PolicyArns: [{ arn: elsewhere.arn }] });
    expect(await codeOf(foreign.send(new ListPoliciesCommand({})))).toBe('AccessDenied');
  });

  it('are recorded in CloudTrail with the call', async () => {
    const policy = policyDoc('Allow', 'iam:ListPolicies');
    await sessionIam({ Policy: policy });
    const assumed = aws.state.cloudtrail.events.find(
      (e) => e.eventName === 'AssumeRoleWithWebIdentity',
    )!;
    expect(assumed.record.requestParameters).toMatchObject({ policy });
  });

  it('are refused past STS’s limits, with its error codes', async () => {
    const token = await gh.oidc.mint(GRANT_RUN, 'sts.amazonaws.com');
    const send = (extra: Partial<{ Policy: string; PolicyArns: { arn: string }[] }>) =>
      codeOf(
        sts.send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: ROLE_ARN,
            RoleSessionName: 'limits',
            WebIdentityToken: token,
            ...extra,
          }),
        ),
      );
    const padded = (length: number) => {
      const base = JSON.parse(policyDoc('Allow', 'iam:ListPolicies')) as Record<string, unknown>;
      const text = JSON.stringify({ ...base, Id: '' });
      return JSON.stringify({ ...base, Id: 'x'.repeat(length - text.length) });
    };
    expect(padded(2048)).toHaveLength(2048);
    expect(await send({ Policy: padded(2049) })).toBe('ValidationError');
    const euro = JSON.stringify({ ...JSON.parse(padded(200)), Id: '€' });
    expect(await send({ Policy: euro })).toBe('ValidationError');
    expect(await send({ Policy: '{"Version": "2012-10-17", "Statement": [' })).toBe(
      'MalformedPolicyDocument',
    );
    const arn = (i: number) => ({ arn: `arn:aws:iam::${ACCOUNT}:policy/session-${i}` });
    expect(await send({ PolicyArns: Array.from({ length: 11 }, (_, i) => arn(i)) })).toBe(
      'ValidationError',
    );
    // Inline and managed plaintext together past 2,048 characters.
    expect(await send({ Policy: padded(2000), PolicyArns: [arn(1), arn(2)] })).toBe(
      'PackedPolicyTooLarge',
    );
    expect(await send({ Policy: padded(2048) })).toBe('ok');
  });
});

/**
 * `NotPrincipal` cannot be used in a role trust policy
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
 */
describe('NotPrincipal in a trust policy', () => {
  const notPrincipal = {
    Effect: 'Deny',
    NotPrincipal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/elsewhere.example` },
    Action: 'sts:AssumeRoleWithWebIdentity',
  };

  it('is refused when the role is made', () => {
    expect(() =>
      aws.state.addRole({
        name: 'not-principal',
        trustPolicy: { Version: '2012-10-17', Statement: [notPrincipal] },
      }),
    ).toThrow(/MalformedPolicyDocument/);
  });

  it('in a trust policy changed after the fact, lets nobody assume the role', async () => {
    const role = aws.state.entity('role', ACCOUNT, 'jit-broker')!;
    const trust = role.trustPolicy as { Statement: Record<string, unknown>[] };
    expect(await codeOf(assume(await gh.oidc.mint(GRANT_RUN, 'sts.amazonaws.com')))).toBe('ok');
    trust.Statement.push(notPrincipal);
    expect(await codeOf(assume(await gh.oidc.mint(GRANT_RUN, 'sts.amazonaws.com')))).toBe(
      'AccessDenied',
    );
  });
});
