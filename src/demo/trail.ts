import type { StoredEvent } from '../../emulators/aws/cloudtrail/store.js';
import { clockTime, iso, type Demo } from './context.js';
import { GRANT_SESSION, REVOKE_SESSION, SIMULATED, START } from './scenario.js';

interface TrailRow {
  time: string;
  account: string;
  region: string;
  who: string;
  call: string;
  error?: string;
  simulated: boolean;
  /** A data event (S3 object calls): in the trail, never in LookupEvents. */
  data: boolean;
  /** The workflow session the call belongs to, when it was one of ours. */
  session?: string;
}

/** Step 8: the CloudTrail history the emulator kept of it all. */
export function showTrail(demo: Demo): void {
  const step = demo.narrator.step('trail', 'What CloudTrail recorded');
  // The demo's clock stands still within a step, and regions are read in parallel: ties are
  // broken by account and region before arrival, so two runs print the same trail.
  const rows = [...demo.world.aws.state.cloudtrail.events]
    .sort(
      (a, b) =>
        a.time.getTime() - b.time.getTime() ||
        (a.accountId ?? '').localeCompare(b.accountId ?? '') ||
        (a.region ?? '').localeCompare(b.region ?? '') ||
        a.seq - b.seq,
    )
    .map(row);
  const width = Math.max(...rows.map((r) => r.who.length));
  for (const r of rows) {
    step.say(
      `${clockTime(new Date(r.time), START).padEnd(9)} ${r.account} ${r.region.padEnd(9)}  ${r.who.padEnd(width)}  ${r.call}${r.error ? ` → ${r.error}` : ''}${r.simulated ? '  (simulated)' : ''}${r.data ? ' data event: trail only, not in LookupEvents' : ''}`,
    );
  }
  step.fact('events', rows);
  const bySession = (session: string) => rows.filter((r) => r.session === session);
  const grant = bySession(GRANT_SESSION);
  const revoke = bySession(REVOKE_SESSION);
  step.fact('grantCalls', grant.length);
  step.fact('revokeCalls', revoke.length);
  step.say(
    '',
    `${rows.length} events: the grant run made ${grant.length} AWS calls, the revoke run ${revoke.length}; ` +
      `the rest are the requester's (${rows.filter((r) => r.simulated).length} simulated).`,
  );
  const calls = new Set(rows.map((r) => r.call));
  const required = [
    'sts:AssumeRoleWithWebIdentity',
    'iam:CreatePolicy',
    'iam:AttachUserPolicy',
    'iam:DetachUserPolicy',
    'iam:DeletePolicy',
  ];
  step.check(
    'the trail holds the OIDC exchange, the grant and its removal',
    required.every((c) => calls.has(c)),
  );
  step.check(
    "every grant and revoke call was made by the broker role's OIDC sessions",
    rows
      .filter((r) => r.call.startsWith('iam:'))
      .every((r) => r.session === GRANT_SESSION || r.session === REVOKE_SESSION),
  );
}

function row(event: StoredEvent): TrailRow {
  const record = event.record as {
    userIdentity?: { type?: string; arn?: string; userName?: string };
    requestParameters?: { roleSessionName?: string } | null;
    errorCode?: string;
  };
  const identity = record.userIdentity ?? {};
  const session =
    identity.type === 'AssumedRole'
      ? identity.arn?.slice(identity.arn.lastIndexOf('/') + 1)
      : event.eventName === 'AssumeRoleWithWebIdentity'
        ? record.requestParameters?.roleSessionName
        : undefined;
  return {
    time: iso(event.time),
    account: event.accountId ?? '-',
    region: event.region ?? '-',
    who: who(identity),
    call: `${event.eventSource.replace(/\.amazonaws\.com$/, '')}:${event.eventName}`,
    ...(record.errorCode ? { error: record.errorCode } : {}),
    simulated: event.eventId.startsWith(SIMULATED),
    data: event.record.managementEvent === false,
    ...(session ? { session } : {}),
  };
}

/** A short, stable name for the caller: no access key ids or principal ids, which are random. */
function who(identity: { type?: string; arn?: string; userName?: string }): string {
  const arn = identity.arn ?? '';
  switch (identity.type) {
    case 'IAMUser':
      return `user ${identity.userName ?? arn}`;
    case 'AssumedRole':
      // Identity Center's role suffix is random too: `AWSReservedSSO_<set>_…`.
      return arn
        .slice(arn.indexOf(':assumed-role/') + 1)
        .replace(/^(assumed-role\/AWSReservedSSO_.*_)[0-9a-f]+\//, '$1…/');
    case 'WebIdentityUser':
      return `web identity ${identity.userName ?? ''}`.trim();
    default:
      return identity.type ?? 'unknown';
  }
}
