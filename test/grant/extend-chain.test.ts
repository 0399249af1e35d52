import { chainCapMinutes, judgeChain, judgeExtension } from '../../src/grant/extend.js';
import { planRequest } from '../../src/plan/plan.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { parseRequest } from '../../src/request/parse-request.js';
import { identityCenterConfig } from '../e2e/identity-center-world.js';
import { CONFIG } from '../e2e/world.js';

const at = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00Z`);
const window = (from: string, to: string) => ({ start: at(from), expiry: at(to) });

// The old grant ran 09:00–11:00; its chain began at `chain`; the new window is [from, to].
test.each([
  ['merged an hour before the old expiry', '09:00', '10:00', '12:00', 240, 'extends'],
  ['merged a second before the old expiry', '09:00', '10:59:59', '12:59:59', 240, 'extends'],
  ['merged exactly at the old expiry: it had ended', '09:00', '11:00', '13:00', 240, 'lapsed'],
  ['merged after the old expiry', '09:00', '11:30', '13:30', 240, 'lapsed'],
  ['the chain ends exactly at its cap', '09:00', '10:00', '13:00', 240, 'extends'],
  ['the chain would run a minute over its cap', '09:00', '10:00', '13:01', 240, 'too-long'],
  ['a long chain from earlier links', '03:00', '10:00', '12:00', 480, 'too-long'],
  ['a long chain within a larger cap', '03:00', '10:00', '12:00', 540, 'extends'],
])('%s', (_what, chain, from, to, capMinutes, kind) => {
  const parse = (t: string) => new Date(`2026-11-25T${t.length === 5 ? `${t}:00` : t}Z`);
  const verdict = judgeChain({
    old: window('09:00', '11:00'),
    chainStart: parse(chain),
    window: { start: parse(from), expiry: parse(to) },
    capMinutes,
  });
  expect(verdict.kind).toBe(kind);
});

test('a refused chain says how much is left, or that it is spent', () => {
  const tooLong = judgeChain({
    old: window('09:00', '11:00'),
    chainStart: at('09:00'),
    window: window('10:00', '14:00'),
    capMinutes: 240,
  });
  expect(tooLong).toMatchObject({ kind: 'too-long' });
  if (tooLong.kind === 'too-long') {
    expect(tooLong.message).toContain('5h');
    expect(tooLong.message).toContain('ask for 3h or less');
  }
  const spent = judgeChain({
    old: window('09:00', '11:00'),
    chainStart: at('07:00'),
    window: window('10:55', '11:55'),
    capMinutes: 240,
  });
  expect(spent.kind === 'too-long' && spent.message).toContain('the chain is spent');
});

const config = (text: string) => {
  const parsed = parseConfig(text, 'jit.config.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
};

test('the cap is the profile maxChain, else three times its maxDuration', () => {
  expect(chainCapMinutes(config(CONFIG), 's3-logs-read')).toBe(3 * 240);
  expect(chainCapMinutes(config(CONFIG), undefined)).toBe(3 * 60);
  const capped = config(
    CONFIG.replace('    maxDuration: 4h\n', '    maxDuration: 4h\n    maxChain: 8h\n'),
  );
  expect(chainCapMinutes(capped, 's3-logs-read')).toBe(480);
});

test.each([
  ['    maxChain: 2h\n', 'shorter than the maxDuration (4h)'],
  ['    maxChain: 100h\n', 'longer than the 72h limit of a chain'],
  ['    maxChain: 8\n', 'add a unit'],
])('maxChain %j is refused with its path', (line, message) => {
  const parsed = parseConfig(
    CONFIG.replace('    maxDuration: 4h\n', `    maxDuration: 4h\n${line}`),
    'jit.config.yaml',
  );
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) {
    expect(parsed.problems[0]).toMatchObject({ path: 'profiles.s3-logs-read.maxChain' });
    expect(parsed.problems[0]!.message).toContain(message);
  }
});

const BASE =
  'requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: Investigate the failed nightly export\n';

test('a request names the grant it extends', () => {
  const parsed = parseRequest(`${BASE}extends: octocat-logs\n`, 'requests/octocat-logs-more.yaml');
  expect(parsed.ok && parsed.value.extends).toBe('octocat-logs');
});

test.each([
  ['extends: octocat-logs\n', 'requests/octocat-logs.yaml', 'extends', 'cannot extend itself'],
  ['extends: Octocat Logs\n', 'requests/more.yaml', 'extends', 'must be a request id'],
  [
    'extends: octocat-logs\nstart: 2026-11-25T12:00:00Z\n',
    'requests/more.yaml',
    'start',
    'an extension starts when it is merged',
  ],
])('%j in %s is refused at its line', (extra, file, path, message) => {
  const parsed = parseRequest(`${BASE}${extra}`, file);
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) {
    const p = parsed.problems.find((q) => q.path === path);
    expect(p?.message).toContain(message);
    expect(p?.line).toBeGreaterThan(5);
  }
});

test('an Identity Center extension in a run without an Identity Center client is delayed, never refused', async () => {
  const icConfig = config(
    identityCenterConfig({
      instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef',
      identityStoreId: 'd-0123456789',
      logins: ['octocat'],
    }),
  );
  const plan = planRequest({
    text: `${BASE}extends: octocat-logs\n`,
    file: 'requests/octocat-more.yaml',
    config: icConfig,
    now: new Date('2026-11-25T09:00:00Z'),
  });
  if (!plan.ok) throw new Error(JSON.stringify(plan.problems));
  const unreachable = () => {
    throw new Error('no call is made');
  };
  const judged = await judgeExtension(
    {
      octokit: new Proxy({}, { get: unreachable }) as never,
      repo: { owner: 'acme', repo: 'access' },
      config: icConfig,
      now: new Date('2026-11-25T09:00:00Z'),
      log: new Proxy({}, { get: unreachable }) as never,
      iamFor: unreachable,
    },
    plan.value,
    7,
  );
  expect(judged).toMatchObject({ kind: 'delayed', code: 'AWS_ERROR' });
});
