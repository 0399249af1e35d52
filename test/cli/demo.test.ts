import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCommand } from '../../src/cli/commands/demo.js';
import type { CliIo } from '../../src/cli/io.js';

async function run(args: string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {},
    cwd,
  };
  const code = await demoCommand(args, io);
  return { code, stdout, stderr };
}

const POLICY_ARN = 'arn:aws:iam::123456789012:policy/jit/jit-example-profile';

test('narrates the whole life of a grant, every expectation holding: exit 0', async () => {
  const r = await run([]);
  expect(r.stderr).toBe('');
  const milestones = [
    /1\. octocat opens a pull request adding requests\/example-profile\.yaml/,
    /✅ jit-access: valid, ready for review\n\s+✔ the request is valid/,
    /approvals: 1 distinct, not the requester, from acme\/sre/,
    /sre-reviewer \(acme\/sre\) approves the final commit/,
    new RegExp(`policy  ${POLICY_ARN}\n\\s+to      arn:aws:iam::123456789012:user/people/octocat`),
    /window {2}2026-11-25T09:06:00Z \.\. 2026-11-25T11:06:00Z/,
    /✔ s3:GetObject +arn:aws:s3:::acme-prod-logs\/\S+: allowed/,
    /✔ s3:PutObject +arn:aws:s3:::acme-prod-logs\/\S+: denied/,
    /11:06:01Z one second past the expiry\n.*\n\s+✔ s3:GetObject is denied/,
    new RegExp(`removed ${POLICY_ARN} \\(expired\\)`),
    // The config as shipped: LookupEvents, which cannot see the S3 reads, and says so.
    /source +LookupEvents, management events only: data events such as S3 object reads are not in LookupEvents; configure cloudtrail\.athena for them\n\s+not seen s3:GetObject/,
    /✔ none of octocat's simulated S3 data events is counted from LookupEvents/,
    // With cloudtrail.athena the same report reads the trail, and counts them.
    /8\. The same report read from the trail through Athena \(cloudtrail\.athena\)/,
    /source +the trail through Athena, data events included\n\s+used +s3:GetObject × 3/,
    /denied +s3:PutObject × 1 \(AccessDenied\)/,
    /unused +s3:ListBucket/,
    /- actions: \["s3:GetObject"\]/,
    // An extension: a new window from the merge, before the old one ends; the old policy removed.
    /9\. octocat asks again, for an hour: requests\/export-followup\.yaml[\s\S]*?✔ PR #2 is granted/,
    /10\. Twenty minutes before it ends, octocat asks for more: requests\/export-followup-more\.yaml\n\s+\| extends: export-followup/,
    /old window {2}2026-11-25T11:24:00Z \.\. 2026-11-25T12:24:00Z\n\s+new window {2}2026-11-25T12:08:00Z \.\. 2026-11-25T13:08:00Z: it starts at the merge, before the old one ends/,
    /the cap is 12h/,
    /✔ the grant extends PR #2 \(export-followup\)/,
    /✔ the old policy is gone; only arn:aws:iam::123456789012:policy\/jit\/jit-export-followup-more is left/,
    /✔ s3:GetObject is allowed at 12:23:59Z and 12:24:01Z: no gap at the old expiry/,
    // Break-glass: granted on the requester's word, loudly; one retro review approved, one missed.
    /11\. Break-glass: octocat takes access now, on their own word[\s\S]*?\| {3}breakGlass: \{ retroReviewWithin: 30m \}/,
    /octocat comments: \/break-glass /,
    /revoke\.yml runs \(issue_comment\)/,
    /✔ PR #4 is granted at once, with no approval/,
    /\| ## 🚨 Break-glass: access granted without approval[\s\S]*?\| @acme\/sre: review it now/,
    /the alert channel hears: granted on the requester's word without approval/,
    /✔ loud: the PR comment mentions @acme\/sre, and the alert channel is told/,
    /12\. The retro review: a reviewer from acme\/sre approves octocat's PR in time/,
    /PR #4: retro review approved\n\s+✔ the retro review is recorded as approved for PR #4/,
    /✔ octocat can still write: the grant runs to its natural end/,
    /13\. monalisa breaks the glass too, and nobody reviews it in time/,
    /PR #5: retro review missed[\s\S]*?removed arn:aws:iam::123456789012:policy\/jit\/jit-prod-logs-repair-again \(early\)/,
    /the alert channel hears: retro review missed/,
    /\| ## 🚨 Break-glass retro review missed/,
    /✔ the same run ends monalisa's grant early/,
    /✔ octocat's reviewed grant ran its full hour and is removed as expired/,
    // The same request through the account's Identity Center backend.
    /14\. The same account moves to IAM Identity Center/,
    /15\. octocat asks again: requests\/example-profile-sso\.yaml[\s\S]*✔ the request is valid/,
    /permission set: jit-example-profile-sso-[0-9a-f]{8} \(session up to PT2H\)/,
    /✔ PR #6 is granted through Identity Center/,
    /✔ its role is AWSReservedSSO_jit-example-profile-sso-[0-9a-f]{8}_…/,
    /sts:GetCallerIdentity → arn:aws:sts::123456789012:assumed-role\/AWSReservedSSO_jit-example-profile-sso-[0-9a-f]{8}_…\/octocat@acme\.example/,
    /✔ s3:GetObject +arn:aws:s3:::acme-prod-logs\/\S+: allowed/,
    /✔ s3:GetObject is denied: aws:CurrentTime is past the inline policy’s DateLessThan/,
    /✔ the permission set is revoked\n\s+✔ its assignment and the reserved role are gone/,
    /data events such as S3 object reads are not in LookupEvents\n\s+✔ the usage report counts this permission set’s session, not the two s3:GetObject LookupEvents cannot see/,
    /jit-access-broker\/jit-grant-demo +iam:CreatePolicy/,
    /s3:GetObject {2}\(simulated\) data event: trail only, not in LookupEvents/,
    /jit-access-broker\/jit-revoke-demo +iam:DeletePolicy/,
    /the grant run made \d+ AWS calls, the revoke run \d+/,
    /✔ all \d+ expectations held\n$/,
  ];
  let at = 0;
  for (const milestone of milestones) {
    const found = milestone.exec(r.stdout.slice(at));
    expect(found && milestone).toBe(milestone);
    at += found!.index + found![0].length;
  }
  expect(r.stdout).not.toContain('✘');
  expect(r.code).toBe(0);
});

test('the same story every run, ports aside', async () => {
  const masked = async () => (await run([])).stdout.replace(/127\.0\.0\.1:\d+/g, 'PORT');
  expect(await masked()).toBe(await masked());
});

test('--json: one summary with every step, its checks and its facts', async () => {
  const r = await run(['--json']);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as {
    ok: boolean;
    checks: { total: number; failed: number };
    steps: { step: string; ok: boolean; checks: unknown[]; facts: Record<string, unknown> }[];
  };
  expect(out.ok).toBe(true);
  expect(out.checks.failed).toBe(0);
  expect(out.steps.map((s) => s.step)).toEqual([
    'request',
    'approve',
    'grant',
    'access',
    'activity',
    'expiry',
    'revoke',
    'athena',
    'extend-grant',
    'extend',
    'break-glass',
    'retro-approved',
    'retro-missed',
    'sso-setup',
    'sso-request',
    'approve',
    'sso-grant',
    'sso-access',
    'sso-expiry',
    'sso-revoke',
    'trail',
  ]);
  expect(out.steps.every((s) => s.ok && s.checks.length > 0)).toBe(true);
  const facts = Object.fromEntries(out.steps.map((s) => [s.step, s.facts]));
  expect(facts.request).toMatchObject({ valid: true, verdict: 'grantable' });
  expect(facts.grant).toMatchObject({
    policyArn: POLICY_ARN,
    window: { start: '2026-11-25T09:06:00Z', expiry: '2026-11-25T11:06:00Z' },
  });
  expect(facts.access!.verdicts).toEqual([
    expect.objectContaining({ action: 's3:GetObject', verdict: 'allowed' }),
    expect.objectContaining({ action: 's3:PutObject', verdict: 'denied' }),
    expect.objectContaining({ action: 's3:GetObject', verdict: 'denied' }),
  ]);
  expect(facts.expiry).toMatchObject({ verdict: 'denied' });
  // LookupEvents (the config as shipped) sees none of the S3 reads; the trail through Athena does.
  expect(facts.revoke).toMatchObject({
    revoked: [POLICY_ARN],
    usage: { source: 'lookup-events', used: [], denied: [] },
  });
  expect(facts.athena).toMatchObject({
    usage: {
      source: 'athena',
      used: [{ action: 's3:GetObject', calls: 3, failed: 0 }],
      denied: [{ action: 's3:PutObject', calls: 1, errorCode: 'AccessDenied' }],
      unused: ['s3:ListBucket'],
    },
  });
  expect(facts.extend).toMatchObject({
    oldWindow: { start: '2026-11-25T11:24:00Z', expiry: '2026-11-25T12:24:00Z' },
    window: { start: '2026-11-25T12:08:00Z', expiry: '2026-11-25T13:08:00Z' },
    chain: { capMinutes: 720 },
    verdicts: { beforeOldExpiry: 'allowed', afterOldExpiry: 'allowed', after: 'denied' },
  });
  expect(facts['break-glass']).toMatchObject({
    octocat: { pr: 4, retroDue: '2026-11-25T14:31:30Z' },
  });
  const added = ['extend-grant', 'extend', 'break-glass', 'retro-approved', 'retro-missed'];
  expect(out.steps.filter((s) => added.includes(s.step)).map((s) => s.checks.length)).toEqual([
    3, 9, 5, 2, 10,
  ]);
  expect(facts['retro-approved']!.retro).toEqual([
    { kind: 'approved', pr: 4, approvers: ['sre-reviewer'] },
  ]);
  expect(facts['retro-missed']!.retro).toEqual([
    expect.objectContaining({ kind: 'missed', pr: 5, approvers: ['acme/sre'] }),
  ]);
  expect(facts.trail!.grantCalls).toBeGreaterThan(0);
  const sso = out.steps.filter((s) => s.step.startsWith('sso-'));
  expect(sso.map((s) => s.checks.length)).toEqual([1, 2, 2, 4, 2, 4]);
  expect(sso.flatMap((s) => s.checks)).toContainEqual({
    expectation:
      'the usage report counts this permission set’s session, not the two s3:GetObject LookupEvents cannot see',
    ok: true,
  });
});

/** A copy of the repository's inputs, with some of its files changed. */
async function scratch(edits: Record<string, (text: string) => string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jit-demo-'));
  for (const path of ['jit.config.yaml', 'requests', 'deploy'])
    await cp(path, join(dir, path), { recursive: true });
  for (const [path, edit] of Object.entries(edits))
    await writeFile(join(dir, path), edit(await readFile(path, 'utf8')));
  return dir;
}

test('a step that does not go as it should fails the run: exit 1, and says which', async () => {
  // The example asks for 2h; a profile capped at 1h makes the request invalid.
  const dir = await scratch({
    'jit.config.yaml': (c) => c.replace('maxDuration: 4h', 'maxDuration: 1h'),
  });
  const r = await run([], dir);
  expect(r.stdout).toMatch(/✘ the request is valid {3}<- NOT AS EXPECTED/);
  expect(r.stdout).toMatch(/✘ 1 of \d+ expectations failed\n$/);
  expect(r.stdout).not.toContain('2. ');
  expect(r.code).toBe(1);
});

test('a break-glass that is not granted fails the run, and the retro review it owes is not faked', async () => {
  // Without a principal in prod, monalisa's /break-glass is refused.
  const dir = await scratch({
    'jit.config.yaml': (c) => c.replace(/( {2}monalisa:\n) {4}prod: \S+\n/, '$1'),
  });
  const r = await run([], dir);
  expect(r.stdout).toMatch(/✘ PR #5 is granted at once, with no approval {3}<- NOT AS EXPECTED/);
  expect(r.stdout).not.toContain('✔ the retro review is recorded as missed');
  expect(r.stdout).toMatch(/✘ 1 of \d+ expectations failed\n$/);
  expect(r.code).toBe(1);
});

test('a missing or invalid config is reported, not thrown: exit 1', async () => {
  const missing = await run(['--config', 'nope.yaml']);
  expect(missing.stderr).toContain('cannot read nope.yaml: no such file');
  expect(missing.code).toBe(1);
  const dir = await scratch({ 'jit.config.yaml': () => 'version: 2\n' });
  const invalid = await run([], dir);
  expect(invalid.stderr).toContain('jit.config.yaml');
  expect(invalid.stdout).toBe('');
  expect(invalid.code).toBe(1);
});

test('request text cannot drive the terminal', async () => {
  const dir = await scratch({
    'requests/example-profile.yaml': (t) =>
      t.replace('reason: ', 'reason: \u001b[2J\u001b]0;pwned\u0007'),
  });
  const r = await run([], dir);
  for (const control of ['\u001b', '\u0007']) expect(r.stdout + r.stderr).not.toContain(control);
  expect(r.stdout).toContain('\uFFFD[2J');
  expect(r.code).toBe(1);
});
