import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { LookupEventsCommand, type LookupAttribute } from '@aws-sdk/client-cloudtrail';
import {
  POLICY_ATTACHMENT_EVENTS,
  actsOnPrincipal,
  wantedBy,
  type CloudTrailRecord,
  type EventQuery,
  type EventSource,
} from '../event.js';
import { attachmentTarget, type Principal } from '../principal.js';
import { merge } from './merge.js';
import { RateLimiter } from './rate-limiter.js';

/** LookupEvents reaches back 90 days and no further. */
export const LOOKUP_RETENTION_MS = 90 * 24 * 3600_000;
/** The most events one LookupEvents page returns. */
export const LOOKUP_PAGE_SIZE = 50;
/** IAM (and global STS) events are logged in us-east-1's event history. */
const GLOBAL_REGION = 'us-east-1';

export interface LookupEventsOptions {
  /** Regions to read; us-east-1 is always read, for IAM and STS events. */
  regions: string[];
  /**
   * A client per region. Its SDK retry strategy (standard: backoff with jitter) retries the
   * ThrottlingException that should not come with the limiter below, and transient faults.
   */
  client: (region: string) => CloudTrailClient;
  /** Calls per second per region: CloudTrail allows 2 per account per region. */
  ratePerSecond?: number;
  /** A limiter per region; tests pass one that runs on the emulator's clock. */
  limiter?: (region: string) => RateLimiter;
  now?: () => Date;
}

/**
 * CloudTrail's LookupEvents as an event source. The API takes one lookup attribute per call, so
 * each lookup asks for the most selective one there is (the user name of an IAM user; for a role
 * or an Identity Center user nothing narrower than the window, see `lookupAttribute`) and the
 * rest is filtered here. Regions are read in parallel, each under its own 2-per-second limiter, and
 * records are yielded page by page as they come.
 */
export function lookupEventsSource(options: LookupEventsOptions): EventSource {
  const all = [...new Set([GLOBAL_REGION, ...options.regions])];
  const limiters = new Map(
    all.map((r) => [r, options.limiter?.(r) ?? new RateLimiter(options.ratePerSecond ?? 2)]),
  );
  return {
    name: 'lookup-events',
    async *events(query: EventQuery): AsyncIterable<CloudTrailRecord> {
      const now = (options.now ?? (() => new Date()))();
      const from = new Date(Math.max(query.from.getTime(), now.getTime() - LOOKUP_RETENTION_MS));
      if (from.getTime() > query.to.getTime()) return;
      const narrowed = { ...query, from };
      const regions = query.regions
        ? all.filter((r) => r === GLOBAL_REGION || query.regions!.includes(r))
        : all;
      const streams = regions.map((region) =>
        lookups(options.client(region), limiters.get(region)!, region, narrowed),
      );
      // The same event can answer two lookups (a user attaching a policy to itself); event ids
      // are kept to drop the second copy: one short string per event, not the event.
      const seen = new Set<string>();
      for await (const record of merge(streams)) {
        if (record.eventID) {
          if (seen.has(record.eventID)) continue;
          seen.add(record.eventID);
        }
        yield record;
      }
    },
  };
}

/** The lookups one region needs for the query, one after the other under its limiter. */
async function* lookups(
  client: CloudTrailClient,
  limiter: RateLimiter,
  region: string,
  query: EventQuery,
): AsyncIterable<CloudTrailRecord> {
  const own = wantedBy({ ...query, includeActsOn: false });
  for await (const record of pages(client, limiter, query, lookupAttribute(query.principal)))
    if (own(record)) yield record;
  const target = query.principal && attachmentTarget(query.principal);
  if (!query.includeActsOn || !target || region !== GLOBAL_REGION) return;
  const on = actsOnPrincipal(query.principal!);
  const kind = target.field === 'userName' ? 'User' : 'Role';
  for (const name of POLICY_ATTACHMENT_EVENTS.filter((n) => n.includes(kind))) {
    const attribute = { AttributeKey: 'EventName' as const, AttributeValue: name };
    for await (const record of pages(client, limiter, query, attribute))
      if (on(record)) yield record;
  }
}

async function* pages(
  client: CloudTrailClient,
  limiter: RateLimiter,
  query: EventQuery,
  attribute: LookupAttribute | undefined,
): AsyncIterable<CloudTrailRecord> {
  let token: string | undefined;
  do {
    const input = {
      StartTime: query.from,
      EndTime: query.to,
      MaxResults: LOOKUP_PAGE_SIZE,
      ...(attribute ? { LookupAttributes: [attribute] } : {}),
      ...(token ? { NextToken: token } : {}),
    };
    const page = await limiter.run(() => client.send(new LookupEventsCommand(input)));
    for (const e of page.Events ?? [])
      if (e.CloudTrailEvent) yield JSON.parse(e.CloudTrailEvent) as CloudTrailRecord;
    token = page.NextToken;
  } while (token);
}

/**
 * LookupEvents' `Username` is the IAM user's name for its calls, and a role session's name for
 * the session's (https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/lookup-events.html
 * shows an assumed-role event listed under its session name). So an IAM user is looked up by
 * its name. A role's sessions are named by whoever assumed it, and an Identity Center user's
 * session name is their user name in the case the identity store keeps, which may not be the
 * case asked for. AWS does not document the lookup as ignoring case, so it is taken to match
 * exactly (as the emulator does): for both only the time window is safe, and the rest is
 * filtered here.
 */
function lookupAttribute(principal: Principal | undefined): LookupAttribute | undefined {
  return principal?.kind === 'user'
    ? { AttributeKey: 'Username', AttributeValue: principal.name }
    : undefined;
}
