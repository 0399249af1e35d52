import type { GrantWindow, PermissionStatement } from '../domain.js';
import { globMatches } from '../policy/glob.js';
import type { PolicyStatement } from '../policy/build.js';
import type { CloudTrailRecord } from '../runbook/event.js';

/**
 * Where a usage report's records came from: `lookup-events` has management events only (no S3
 * object reads or other data events); `athena` reads the trail itself, data events included.
 */
export type UsageSource = 'lookup-events' | 'athena';

/** What a grant was used for, measured against what it allowed. */
export interface UsageReport {
  window: GrantWindow;
  principalArn: string;
  source: UsageSource;
  events: number;
  /** Granted actions that were called, most used first. */
  used: { action: string; calls: number; failed: number }[];
  /** Calls refused with an access error: what the grant did not cover (or the next request). */
  denied: { action: string; calls: number; errorCode: string }[];
  /** Action patterns granted and never called. */
  unused: string[];
  /** The grant's statements cut down to the actions actually used; empty when nothing was. */
  suggested: PermissionStatement[];
}

// Services whose CloudTrail event source is not their IAM prefix.
const PREFIX_OF_SOURCE: Record<string, string> = {
  monitoring: 'cloudwatch',
  'ssm-guiconnect': 'ssm-guiconnect',
};

// Event names that are not the IAM action they need (the action is what a grant must allow).
const ACTION_OF_EVENT: Record<string, string> = {
  's3:ListObjects': 's3:ListBucket',
  's3:ListObjectsV2': 's3:ListBucket',
  's3:HeadBucket': 's3:ListBucket',
  's3:HeadObject': 's3:GetObject',
};

/** `s3.amazonaws.com` + `GetObject` → `s3:GetObject`. Event names match IAM actions for most services. */
export function actionOf(record: CloudTrailRecord): string {
  const service = record.eventSource.replace(/\.amazonaws\.com$/, '');
  const action = `${PREFIX_OF_SOURCE[service] ?? service}:${record.eventName}`;
  return ACTION_OF_EVENT[action] ?? action;
}

const ACCESS_ERRORS = /AccessDenied|UnauthorizedOperation|Forbidden|NotAuthorized/i;

/**
 * Compares the principal's calls inside the window with the granted statements. Records are
 * expected to be the principal's already (the event source filters by principal).
 */
export function usageReport(input: {
  window: GrantWindow;
  principalArn: string;
  source: UsageSource;
  statements: PolicyStatement[];
  records: Iterable<CloudTrailRecord>;
}): UsageReport {
  const { window, statements } = input;
  const used = new Map<string, { calls: number; failed: number }>();
  const denied = new Map<string, { calls: number; errorCode: string }>();
  const patternHits = new Map<string, number>();
  let events = 0;
  for (const record of input.records) {
    const at = Date.parse(record.eventTime);
    if (at < window.start.getTime() || at > window.expiry.getTime()) continue;
    events++;
    const action = actionOf(record);
    const granted = statements.flatMap((s) => s.Action).filter((p) => globMatches(p, action, true));
    if (record.errorCode && ACCESS_ERRORS.test(record.errorCode)) {
      const d = denied.get(action) ?? { calls: 0, errorCode: record.errorCode };
      d.calls++;
      denied.set(action, d);
      continue;
    }
    if (granted.length === 0) continue;
    for (const p of granted) patternHits.set(p, (patternHits.get(p) ?? 0) + 1);
    const u = used.get(action) ?? { calls: 0, failed: 0 };
    u.calls++;
    if (record.errorCode) u.failed++;
    used.set(action, u);
  }
  const usedList = [...used].map(([action, u]) => ({ action, ...u })).sort(byCallsThenName);
  return {
    window,
    principalArn: input.principalArn,
    source: input.source,
    events,
    used: usedList,
    denied: [...denied].map(([action, d]) => ({ action, ...d })).sort(byCallsThenName),
    unused: [...new Set(statements.flatMap((s) => s.Action))].filter((p) => !patternHits.has(p)),
    suggested: statements.flatMap((s) => {
      const actions = usedList
        .map((u) => u.action)
        .filter((a) => s.Action.some((p) => globMatches(p, a, true)));
      return actions.length ? [{ actions, resources: s.Resource }] : [];
    }),
  };
}

const byCallsThenName = (
  a: { action: string; calls: number },
  b: { action: string; calls: number },
) => b.calls - a.calls || a.action.localeCompare(b.action);
