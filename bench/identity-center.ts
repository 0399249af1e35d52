/**
 * SSO calls per Identity Center grant and revoke, with the built grant and revoke actions run as
 * a runner runs them against the emulators (the world of test/e2e/identity-center-world.ts):
 * once with no faults, once with a seeded share of every SSO Admin and Identity Store call
 * failing. Counts come from the emulator's CloudTrail store (every attempt: SDK retries, faulted
 * calls and status polls included) and do not depend on the machine. See bench/README.md.
 */
import { GRANT, REVOKE, pushed, scheduled } from '../test/e2e/world.js';
import {
  identityCenterState,
  identityCenterWorld,
  mergeAll,
  runLive,
} from '../test/e2e/identity-center-world.js';

const GRANTS = Number(process.env.GRANTS ?? 20);
const FAULT_RATE = Number(process.env.FAULT_RATE ?? 0.2);
const SEED = Number(process.env.SEED ?? 2026);
const MAX_RUNS = 8;
const POLLS = /^DescribeAccountAssignment(Creation|Deletion)Status$/;
const CALLS = [
  'CreatePermissionSet',
  'DescribePermissionSet',
  'ListPermissionSets',
  'ListTagsForResource',
  'GetInlinePolicyForPermissionSet',
  'PutInlinePolicyToPermissionSet',
  'DeleteInlinePolicyFromPermissionSet',
  'DeletePermissionSet',
  'ListAccountAssignments',
  'CreateAccountAssignment',
  'DescribeAccountAssignmentCreationStatus',
  'DeleteAccountAssignment',
  'DescribeAccountAssignmentDeletionStatus',
  'ListAccountsForProvisionedPermissionSet',
  'GetUserId',
];

interface Phase {
  name: string;
  runs: number;
  sso: number;
  polls: number;
  identityStore: number;
  errors: number;
}

async function scenario(rate: number): Promise<Phase[]> {
  const logins = Array.from({ length: Math.ceil(GRANTS / 2) }, (_, i) => `user${i + 1}`);
  const w = await identityCenterWorld({ logins });
  try {
    const requests = Array.from({ length: GRANTS }, (_, i) => ({
      login: logins[i % logins.length]!,
      id: `${logins[i % logins.length]}-r${i}`,
    }));
    mergeAll(w, requests);
    if (rate > 0) {
      w.aws.faults.seed(SEED);
      const each = 1 - Math.pow(1 - rate, 1 / 3);
      for (const action of CALLS)
        for (const kind of ['throttle', '5xx', 'drop-after-apply'] as const)
          w.aws.faults.inject({ action, kind, rate: each });
    }
    const phase = async (name: string, step: () => ReturnType<typeof runLive>) => {
      const since = w.aws.state.cloudtrail.events.length;
      let runs = 0;
      for (; runs < MAX_RUNS;) {
        runs++;
        const result = await step();
        if (result.code === 0) break;
        w.aws.clock.advance(10 * 60_000);
      }
      const events = w.aws.state.cloudtrail.events.slice(since);
      const sso = events.filter((e) => e.eventSource === 'sso.amazonaws.com');
      return {
        name,
        runs,
        sso: sso.length / GRANTS,
        polls: sso.filter((e) => POLLS.test(e.eventName)).length / GRANTS,
        identityStore:
          events.filter((e) => e.eventSource === 'identitystore.amazonaws.com').length / GRANTS,
        errors: events.filter((e) => e.record.errorCode !== undefined).length,
      };
    };
    const grant = await phase('grant', () => runLive(w, 'grant', pushed(), GRANT));
    if (identityCenterState(w).assignments.length !== GRANTS) throw new Error('not all granted');
    w.aws.clock.advance(3 * 3600_000);
    const revoke = await phase('revoke', () => runLive(w, 'revoke', scheduled(w), REVOKE));
    const left = identityCenterState(w);
    if (left.sets.length + left.assignments.length + left.provisioned.length > 0)
      throw new Error('the sweep left permission sets behind');
    return [grant, revoke];
  } finally {
    await w.close();
  }
}

const rows: string[] = [
  '| phase | faults | SSO calls per item | of which status polls | Identity Store calls per item | failed attempts | runs |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
];
for (const rate of [0, FAULT_RATE]) {
  for (const p of await scenario(rate)) {
    rows.push(
      `| ${p.name} ${GRANTS} | ${rate * 100}% | ${p.sso.toFixed(2)} | ${p.polls.toFixed(2)} | ${p.identityStore.toFixed(2)} | ${p.errors} | ${p.runs} |`,
    );
  }
}
console.log(rows.join('\n'));
