import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { LookupEventsCommand, type LookupAttribute } from '@aws-sdk/client-cloudtrail';
import { madeBy, type CloudTrailRecord, type EventQuery, type EventSource } from '../event.js';
import { RateLimiter } from './rate-limiter.js';

/** LookupEvents reaches back 90 days and no further. */
export const LOOKUP_RETENTION_MS = 90 * 24 * 3600_000;

export interface LookupEventsOptions {
  /** Regions to read; IAM and STS events are global and delivered to us-east-1. */
  regions: string[];
  client: (region: string) => CloudTrailClient;
  /** Calls per second per region: CloudTrail allows 2 per account per region. */
  ratePerSecond?: number;
  now?: () => Date;
}

/**
 * CloudTrail's LookupEvents as an event source. One lookup attribute per call is all the API
 * takes, so it asks for the most selective one (the user name) and filters the rest here;
 * regions are read in parallel, each under its own 2-per-second limiter.
 */
export function lookupEventsSource(options: LookupEventsOptions): EventSource {
  const regions = [...new Set(['us-east-1', ...options.regions])];
  const limiters = new Map(regions.map((r) => [r, new RateLimiter(options.ratePerSecond ?? 2)]));
  return {
    name: 'lookup-events',
    async *events(query: EventQuery): AsyncIterable<CloudTrailRecord> {
      const now = (options.now ?? (() => new Date()))();
      const from = new Date(Math.max(query.from.getTime(), now.getTime() - LOOKUP_RETENTION_MS));
      const perRegion = await Promise.all(
        regions.map((region) =>
          collect(options.client(region), limiters.get(region)!, { ...query, from }),
        ),
      );
      const all = perRegion.flat().sort((a, b) => a.eventTime.localeCompare(b.eventTime));
      const seen = new Set<string>();
      for (const record of all) {
        // Global events can be returned by more than one region's endpoint.
        if (record.eventID && seen.has(record.eventID)) continue;
        if (record.eventID) seen.add(record.eventID);
        yield record;
      }
    },
  };
}

async function collect(
  client: CloudTrailClient,
  limiter: RateLimiter,
  query: EventQuery,
): Promise<CloudTrailRecord[]> {
  const attribute = lookupAttribute(query.principalArn);
  const out: CloudTrailRecord[] = [];
  let token: string | undefined;
  do {
    await limiter.take();
    const page = await client.send(
      new LookupEventsCommand({
        StartTime: query.from,
        EndTime: query.to,
        MaxResults: 50,
        ...(attribute ? { LookupAttributes: [attribute] } : {}),
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const e of page.Events ?? []) {
      if (!e.CloudTrailEvent) continue;
      const record = JSON.parse(e.CloudTrailEvent) as CloudTrailRecord;
      if (!query.principalArn || madeBy(record, query.principalArn)) out.push(record);
    }
    token = page.NextToken;
  } while (token);
  return out;
}

/**
 * The user name of an IAM user is what LookupEvents' `Username` matches. A role's sessions are
 * named by whoever assumed it, so for a role nothing narrower than the time window is safe.
 */
function lookupAttribute(principalArn: string | undefined): LookupAttribute | undefined {
  const user = principalArn && /:user\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  return user ? { AttributeKey: 'Username', AttributeValue: user[1]! } : undefined;
}
