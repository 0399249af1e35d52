/**
 * The Identity Center backend and principal templates in jit.config.yaml: who receives a grant in
 * each account, named once per person, and the configs that must be refused (with their line).
 */
import { readFileSync } from 'node:fs';
import type { AccessRequest, JitConfig } from '../../src/domain.js';
import type { Problem } from '../../src/problem.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { resolveRequest } from '../../src/request/resolve.js';

const FILE = 'test/fixtures/config/identity-center.yaml';
const TEXT = readFileSync(FILE, 'utf8');
const EXAMPLE = readFileSync('jit.config.yaml', 'utf8');
const NOW = new Date('2026-11-25T09:00:00Z');

function config(text = TEXT): JitConfig {
  const result = parseConfig(text, FILE);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.value;
}

function problems(text: string): Problem[] {
  const result = parseConfig(text, FILE);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the config no longer contains ${from}`);
  return text.replace(from, to);
}

/** The 1-based line of the first occurrence of `needle` in `text`. */
const lineOf = (text: string, needle: string): number =>
  text.slice(0, text.indexOf(needle)).split('\n').length;

const request = (requester: string, account: string): AccessRequest => ({
  id: `${requester.toLowerCase()}-look`,
  requester,
  account,
  profile: 'readonly',
  durationMinutes: 60,
  reason: 'Look at the instances',
});

function resolve(requester: string, account: string, cfg = config()) {
  return resolveRequest(request(requester, account), cfg, NOW);
}

describe('who receives the grant', () => {
  test('an identity-center account grants to the user named in identityCenter.users', () => {
    const resolved = resolve('monalisa', 'prod');
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
    expect(resolved.value.account.backend).toBe('identity-center');
    expect(resolved.value.grantee).toMatchObject({
      backend: 'identity-center',
      userName: 'mona.lisa@acme.example',
    });
    expect(resolved.value.principalArn).toBe('mona.lisa@acme.example');
  });

  test('a person without a users entry gets the userName template, with the login as the config spells it', () => {
    const resolved = resolve('mona-sre', 'prod');
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
    expect(resolved.value.grantee).toMatchObject({ userName: 'Mona-SRE@acme.example' });
  });

  test('an iam account fills the top-level principalTemplate; an account template overrides it', () => {
    const legacy = resolve('octocat', 'legacy');
    const tools = resolve('octocat', 'tools');
    if (!legacy.ok || !tools.ok) throw new Error('expected both to resolve');
    expect(legacy.value.grantee).toEqual({
      backend: 'iam',
      principalArn: 'arn:aws:iam::210987654321:user/people/octocat',
    });
    expect(legacy.value.account.backend).toBeUndefined();
    expect(tools.value.principalArn).toBe('arn:aws:iam::333344445555:role/humans/octocat');
  });

  test('an explicit principals entry wins over the template', () => {
    const resolved = resolve('hubot', 'legacy');
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
    expect(resolved.value.principalArn).toBe('arn:aws:iam::210987654321:role/bots/hubot');
  });

  test('a template never applies to a login the config does not name', () => {
    for (const account of ['prod', 'legacy']) {
      const resolved = resolve('mallory', account);
      expect(resolved.ok).toBe(false);
      if (!resolved.ok)
        expect(resolved.problems[0]?.message).toContain('mallory is not in principals');
    }
  });

  test('without a userName template, a person needs a users entry for an identity-center account', () => {
    const cfg = config(edit(TEXT, "  userName: '{login}@acme.example'\n", ''));
    const resolved = resolve('octocat', 'prod', cfg);
    expect(resolved.ok).toBe(false);
    if (!resolved.ok)
      expect(resolved.problems[0]?.message).toBe(
        'octocat has no Identity Center user: account prod grants through Identity Center, so an admin must add identityCenter.users.octocat (or identityCenter.userName) to jit.config.yaml',
      );
  });

  test('the shipped example still resolves through IAM principals only', () => {
    const result = parseConfig(EXAMPLE, 'jit.config.yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.value.identityCenter).toBeUndefined();
    const resolved = resolveRequest(request('octocat', 'prod'), result.value, NOW);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
    expect(resolved.value.grantee.backend).toBe('iam');
  });
});

describe('refused configs name the field and its line', () => {
  test.each([
    [
      'an AWSReservedSSO role as an IAM principal',
      EXAMPLE,
      'prod: arn:aws:iam::123456789012:user/people/octocat',
      'prod: arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef',
      'principals.octocat.prod',
      'is an IAM Identity Center role (AWSReservedSSO_*): AWS protects it and everyone with its permission set shares it, so jit-access cannot grant one person access through it. Use the Identity Center backend: set accounts.prod.backend: identity-center and name the person in identityCenter.users',
      'AWSReservedSSO_Admin_0123',
    ],
    [
      'an AWSReservedSSO role named without its reserved path, in any case',
      EXAMPLE,
      'staging: arn:aws:iam::210987654321:role/people/hubot',
      'staging: arn:aws:iam::210987654321:role/awsreservedsso_ReadOnly_abc',
      'principals.hubot.staging',
      'is an IAM Identity Center role (AWSReservedSSO_*)',
      'awsreservedsso_ReadOnly',
    ],
    [
      'a principal template that points at Identity Center roles',
      TEXT,
      'principalTemplate: arn:aws:iam::{accountId}:role/humans/{login}',
      'principalTemplate: arn:aws:iam::{accountId}:role/aws-reserved/sso.amazonaws.com/{login}',
      'accounts.tools.principalTemplate',
      'is an IAM Identity Center role',
      'aws-reserved/sso.amazonaws.com/{login}',
    ],
    [
      'an identity-center account without the identityCenter block',
      EXAMPLE,
      '    # backend: identity-center\n',
      '    backend: identity-center\n',
      'accounts.staging.backend',
      'identity-center needs the identityCenter block at the top level',
      'backend: identity-center',
    ],
    [
      'an IAM principal for an identity-center account',
      TEXT,
      '    legacy: arn:aws:iam::210987654321:role/bots/hubot',
      '    legacy: arn:aws:iam::210987654321:role/bots/hubot\n    prod: arn:aws:iam::123456789012:user/hubot',
      'principals.hubot.prod',
      'prod grants through Identity Center (backend: identity-center), which takes no IAM principal',
      'prod: arn:aws:iam::123456789012:user/hubot',
    ],
    [
      'a principalTemplate on an identity-center account',
      TEXT,
      '    backend: identity-center\n',
      '    backend: identity-center\n    principalTemplate: arn:aws:iam::{accountId}:user/{login}\n',
      'accounts.prod.principalTemplate',
      'prod grants through Identity Center, which takes no IAM principal: remove principalTemplate',
      'principalTemplate: arn:aws:iam::{accountId}:user/{login}',
    ],
    [
      'a template without {login}',
      TEXT,
      'principalTemplate: arn:aws:iam::{accountId}:user/people/{login}',
      'principalTemplate: arn:aws:iam::{accountId}:user/people/everyone',
      'principalTemplate',
      'must be an IAM user or role ARN with {login}',
      'user/people/everyone',
    ],
    [
      'a template with an unknown placeholder',
      TEXT,
      'principalTemplate: arn:aws:iam::{accountId}:user/people/{login}',
      'principalTemplate: arn:aws:iam::{accountId}:user/{team}/{login}',
      'principalTemplate',
      'unknown placeholder {team}: use {login} and {accountId}',
      '{team}',
    ],
    [
      'a top-level template with one literal account id',
      TEXT,
      'principalTemplate: arn:aws:iam::{accountId}:user/people/{login}',
      'principalTemplate: arn:aws:iam::123456789012:user/people/{login}',
      'principalTemplate',
      'write {accountId} where the account id goes',
      'principalTemplate: arn:aws:iam::123456789012',
    ],
    [
      'an account template in another account',
      TEXT,
      'principalTemplate: arn:aws:iam::{accountId}:role/humans/{login}',
      'principalTemplate: arn:aws:iam::999999999999:role/humans/{login}',
      'accounts.tools.principalTemplate',
      'is in account 999999999999, but tools is account 333344445555',
      '999999999999',
    ],
    [
      'a userName template with {accountId}',
      TEXT,
      "userName: '{login}@acme.example'",
      "userName: '{login}.{accountId}@acme.example'",
      'identityCenter.userName',
      'unknown placeholder {accountId}: use {login}',
      '{login}.{accountId}',
    ],
    [
      'a userName template without {login}',
      TEXT,
      "userName: '{login}@acme.example'",
      'userName: admin@acme.example',
      'identityCenter.userName',
      'must contain {login}',
      'userName: admin',
    ],
    [
      'an instance ARN that is not one',
      TEXT,
      'instanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef',
      'instanceArn: arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1',
      'identityCenter.instanceArn',
      'must be an Identity Center instance ARN',
      'permissionSet/ssoins',
    ],
    [
      'an unknown backend',
      TEXT,
      '    backend: identity-center\n',
      '    backend: sso\n',
      'accounts.prod.backend',
      'must be one of "iam", "identity-center"',
      'backend: sso',
    ],
    [
      'a users entry keyed by something that is not a GitHub login',
      TEXT,
      '    monalisa: mona.lisa@acme.example',
      '    mona_lisa: mona.lisa@acme.example',
      'identityCenter.users.mona_lisa',
      'must be a GitHub login',
      'mona_lisa:',
    ],
    [
      'a look-alike character in a user name',
      TEXT,
      'monalisa: mona.lisa@acme.example',
      'monalisa: mona.lisa@\u0430cme.example',
      'identityCenter.users.monalisa',
      'U+0430',
      '\u0430cme',
    ],
    [
      'a person listed twice in people',
      TEXT,
      'people: [octocat, Mona-SRE]',
      'people: [octocat, octocat]',
      'people[1]',
      'repeats people[0]',
      'people: [octocat, octocat]',
    ],
  ])('%s', (_name, base, from, to, path, message, at) => {
    const text = edit(base, from, to);
    const found = problems(text).filter((p) => p.path === path);
    expect(found).toEqual([expect.objectContaining({ message: expect.stringContaining(message) })]);
    expect(found[0]!.line).toBe(lineOf(text, at));
  });

  test('a reserved Identity Center role carries a stable code', () => {
    const found = problems(
      edit(
        EXAMPLE,
        'mona-sre:\n    prod: arn:aws:iam::123456789012:role/people/mona-sre',
        'mona-sre:\n    prod: arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_1',
      ),
    );
    expect(found).toEqual([
      expect.objectContaining({
        path: 'principals.mona-sre.prod',
        code: 'SSO_RESERVED_ROLE',
        file: FILE,
        line: lineOf(EXAMPLE, 'role/people/mona-sre'),
      }),
    ]);
  });
});
