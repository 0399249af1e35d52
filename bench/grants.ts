/**
 * Grant and revoke at scale, against the emulators, in one process: see bench/README.md.
 *
 * Machines are noisy, so every time is also given as a ratio to a baseline measured in the same
 * run: the mean time of one plain IAM `GetPolicy` call by the broker session (signed, verified,
 * authorised by the IAM evaluator, recorded by CloudTrail) — the per-call floor of this machine.
 * Call counts come from the emulator's CloudTrail store (every attempt, retries included) and
 * the GitHub token's request counter; they are exact and do not depend on the machine.
 */
import { GetPolicyCommand } from '@aws-sdk/client-iam';
import { performance } from 'node:perf_hooks';
import {
  ACCOUNT,
  awsCallsSince,
  grantRun,
  injectFaults,
  jitSnapshot,
  mergeRequests,
  REPO_REF,
  requestsFor,
  scaleWorld,
  sweepRun,
  total,
  type ScaleWorld,
} from './harness.js';

const GRANTS = Number(process.env.GRANTS ?? 1000);
const FAULT_RATE = Number(process.env.FAULT_RATE ?? 0.2);
const SEED = Number(process.env.SEED ?? 2026);
const BASELINE_CALLS = Number(process.env.BASELINE_CALLS ?? 1000);
const MAX_RUNS = 10;
/** Not AWS calls a grant or revoke makes: the session exchange, once per run. */
const SESSION = ['AssumeRoleWithWebIdentity'];

interface Phase {
  name: string;
  ms: number;
  runs: number;
  awsCalls: number;
  awsErrors: number;
  githubCalls: number;
  byAction: Map<string, number>;
  /** What each run left to the next. */
  detail: string[];
}

const detail: string[] = [];

async function measure(w: ScaleWorld, name: string, body: () => Promise<number>): Promise<Phase> {
  const events = w.aws.state.cloudtrail.events.length;
  const github = w.githubCalls();
  const started = performance.now();
  detail.length = 0;
  const runs = await body();
  const ms = performance.now() - started;
  const byAction = awsCallsSince(w, events);
  for (const name of SESSION) byAction.delete(name);
  return {
    name,
    ms,
    runs,
    awsCalls: total(byAction),
    awsErrors: w.aws.state.cloudtrail.events
      .slice(events)
      .filter((e) => e.record.errorCode && !SESSION.includes(e.eventName)).length,
    githubCalls: w.githubCalls() - github,
    byAction,
    detail: [...detail],
  };
}

interface Floor {
  /** One IAM GetPolicy by the broker session, in ms. */
  aws: number;
  /** One GitHub pulls.get through Octokit, in ms. */
  github: number;
}

async function baseline(): Promise<Floor> {
  const w = await scaleWorld({ users: 1 });
  try {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/jit/jit-baseline`;
    w.aws.state.addManagedPolicy({
      name: 'jit-baseline',
      path: '/jit/',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      },
    });
    const iam = await w.iamFor(w.account);
    const getPolicy = () => iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    const [pr] = mergeRequests(w, requestsFor(w, 1));
    const getPull = () => w.octokit.rest.pulls.get({ ...REPO_REF, pull_number: pr! });
    const time = async (call: () => Promise<unknown>): Promise<number> => {
      for (let i = 0; i < 50; i++) await call(); // warm-up
      const started = performance.now();
      for (let i = 0; i < BASELINE_CALLS; i++) await call();
      return (performance.now() - started) / BASELINE_CALLS;
    };
    return { aws: await time(getPolicy), github: await time(getPull) };
  } finally {
    await w.close();
  }
}

/** Grant runs until one has no AWS-caused refusal; returns how many runs it took. */
async function grantUntilConverged(w: ScaleWorld): Promise<number> {
  for (let run = 1; run <= MAX_RUNS; run++) {
    const { decisions, awsDelays } = await grantRun(w);
    const other = decisions.filter((d) => d.kind !== 'granted' && !awsDelays.includes(d));
    if (other.length > 0) throw new Error(`unexpected refusals: ${JSON.stringify(other[0])}`);
    const granted = decisions.filter((d) => d.kind === 'granted');
    detail.push(
      `run ${run}: ${granted.length} granted (${granted.filter((d) => !d.created).length} found already created: a dropped response or an earlier run), ${awsDelays.length} delayed by AWS errors`,
    );
    if (awsDelays.length === 0) return run;
  }
  throw new Error(`grants did not converge in ${MAX_RUNS} runs`);
}

/** Sweeps until no /jit/ policy is left; returns how many sweeps it took. */
async function sweepUntilEmpty(w: ScaleWorld): Promise<number> {
  const reported = new Set<string>();
  for (let run = 1; run <= MAX_RUNS; run++) {
    const decisions = await sweepRun(w, { comment: false });
    for (const d of decisions) if (d.kind === 'revoked') reported.add(d.policy.name);
    if (decisions.some((d) => d.kind === 'unmanaged')) throw new Error('unmanaged policy');
    const failed = decisions.filter((d) => d.kind === 'failed');
    detail.push(
      `sweep ${run}: ${decisions.filter((d) => d.kind === 'revoked').length} revoked, ${failed.length} failed${failed.some((d) => !d.policy) ? ' (the listing itself failed)' : ''}`,
    );
    if (jitSnapshot(w).policies.size > 0) continue;
    // Nothing missed: every grant's revoke was reported (its PR comment, its usage report).
    if (reported.size !== GRANTS)
      throw new Error(`${reported.size} revokes reported, not ${GRANTS}`);
    return run;
  }
  throw new Error(`sweeps did not converge in ${MAX_RUNS} runs`);
}

function checkGranted(w: ScaleWorld, expected: number): void {
  const snapshot = jitSnapshot(w);
  if (snapshot.policies.size !== expected)
    throw new Error(`${snapshot.policies.size} /jit/ policies, expected ${expected}`);
  for (const p of snapshot.policies.values())
    if (p.attachedTo.length !== 1) throw new Error(`${p.arn} attached to ${p.attachedTo.length}`);
  for (const counts of snapshot.attachments.values())
    for (const [arn, n] of counts) if (n !== 1) throw new Error(`${arn} attached ${n} times`);
}

async function scenario(faults: boolean): Promise<Phase[]> {
  const w = await scaleWorld({ users: Math.ceil(GRANTS / 10) });
  try {
    mergeRequests(w, requestsFor(w, GRANTS));
    const label = faults ? `${FAULT_RATE * 100}% faults` : 'no faults';
    if (faults) injectFaults(w, FAULT_RATE, SEED);
    const phases: Phase[] = [];
    phases.push(await measure(w, `grant ${GRANTS} (${label})`, () => grantUntilConverged(w)));
    checkGranted(w, GRANTS);
    phases.push(
      await measure(w, `re-run, nothing to grant (${label})`, async () => {
        const { decisions } = await grantRun(w);
        if (decisions.length > 0) throw new Error(`re-run decided ${decisions.length}`);
        return 1;
      }),
    );
    w.aws.clock.advance(2 * 3600_000 + 1000);
    phases.push(await measure(w, `sweep ${GRANTS} (${label})`, () => sweepUntilEmpty(w)));
    for (const user of w.users)
      if ((w.aws.state.entity('user', ACCOUNT, user)?.attached.length ?? 0) > 0)
        throw new Error(`${user} still has attachments`);
    return phases;
  } finally {
    await w.close();
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  console.log(
    `jit-access bench: ${GRANTS} grants over ${Math.ceil(GRANTS / 10)} users, faults ${FAULT_RATE * 100}% (seed ${SEED}), node ${process.version}`,
  );
  // The floor is measured before, between and after the scenarios: the median is the divisor,
  // the spread says how noisy the machine was during the run.
  const floors = [await baseline()];
  const happy = await scenario(false);
  floors.push(await baseline());
  const faulty = await scenario(true);
  floors.push(await baseline());
  const median = (pick: (f: Floor) => number) => floors.map(pick).sort((a, b) => a - b)[1]!;
  const floor = median((f) => f.aws);
  const ghFloor = median((f) => f.github);
  console.log(
    `baseline: ${fmt(floor, 3)} ms per IAM GetPolicy by the broker session (median of ${floors.map((f) => fmt(f.aws, 3)).join(' / ')} ms)`,
  );
  console.log(
    `          ${fmt(ghFloor, 3)} ms per GitHub pulls.get through Octokit (median of ${floors.map((f) => fmt(f.github, 3)).join(' / ')} ms); ${BASELINE_CALLS} calls each\n`,
  );
  const phases = [...happy, ...faulty];
  console.log(
    [
      'phase'.padEnd(36),
      'runs',
      'seconds'.padStart(8),
      'x baseline'.padStart(11),
      'AWS calls'.padStart(10),
      '(errors)'.padStart(9),
      'per item'.padStart(9),
      'GitHub'.padStart(7),
      'per item'.padStart(9),
      'calls x floor'.padStart(14),
    ].join(' '),
  );
  for (const p of phases) {
    const items = GRANTS;
    console.log(
      [
        p.name.padEnd(36),
        String(p.runs).padStart(4),
        fmt(p.ms / 1000, 2).padStart(8),
        fmt(p.ms / floor, 0).padStart(11),
        String(p.awsCalls).padStart(10),
        `(${p.awsErrors})`.padStart(9),
        fmt(p.awsCalls / items, 2).padStart(9),
        String(p.githubCalls).padStart(7),
        fmt(p.githubCalls / items, 2).padStart(9),
        `${fmt((100 * (p.awsCalls * floor + p.githubCalls * ghFloor)) / p.ms, 0)}%`.padStart(14),
      ].join(' '),
    );
  }
  console.log('\nAWS calls by action (every attempt, retries and faulted calls included):');
  for (const p of phases) {
    const parts = [...p.byAction].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} ${c}`);
    console.log(`  ${p.name}: ${parts.join(', ')}`);
    for (const line of p.detail) console.log(`    ${line}`);
  }
  console.log(
    [
      '',
      '"x baseline": the phase took as long as that many sequential IAM GetPolicy calls here.',
      '"calls x floor": how much of the phase its calls explain at the two floors (the rest is',
      "  the core itself, the emulators' per-call work beyond the floor, and 5 ms retry backoffs).",
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
