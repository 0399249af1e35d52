import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { Account } from '../domain.js';
import type { PolicyDocument } from '../policy/build.js';
import type { CloudTrailRecord, EventQuery, EventSource } from '../runbook/event.js';
import { parsePrincipal } from '../runbook/principal.js';
import { athenaSource } from '../runbook/sources/athena.js';
import { lookupEventsSource } from '../runbook/sources/lookup-events.js';
import type { RevokeDecision } from './sweep.js';
import { usageReport, type UsageReport, type UsageSource } from './usage.js';

export interface CollectUsageOptions {
  /**
   * Athena in the account (as the broker role), for accounts whose config has
   * `cloudtrail.athena`: required for those, unused for the others.
   */
  athena?: (region: string) => Promise<AthenaClient>;
  /** Waits between Athena status polls; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Reads the principal's CloudTrail activity during a revoked grant's window and compares it
 * with what the policy allowed. Undefined when the policy's tags or document are not readable.
 *
 * An account with `cloudtrail.athena` is read through Athena: the trail itself, every region,
 * data events (S3 object reads) included, in one query bounded by the window and the principal.
 * Any other account is read with LookupEvents, which returns management events only.
 */
export async function collectUsage(
  decision: Extract<RevokeDecision, { kind: 'revoked' }>,
  cloudtrail: (region: string) => Promise<CloudTrailClient>,
  now: Date,
  options: CollectUsageOptions = {},
): Promise<UsageReport | undefined> {
  const { policy, account } = decision;
  const principalArn = policy.tags['jit:principal'];
  const start = policy.tags['jit:start'] ? new Date(policy.tags['jit:start']) : undefined;
  const document = decision.document as PolicyDocument | undefined;
  if (
    !principalArn ||
    !start ||
    Number.isNaN(start.getTime()) ||
    !policy.expiry ||
    !document?.Statement
  ) {
    return undefined;
  }
  const window = { start, expiry: policy.expiry };
  const { name, source } = await eventSource(account, cloudtrail, now, options);
  const records: CloudTrailRecord[] = [];
  const to = new Date(Math.min(now.getTime(), window.expiry.getTime()));
  const query: EventQuery = { from: window.start, to, principal: parsePrincipal(principalArn) };
  if (source.batches) for await (const batch of source.batches(query)) records.push(...batch);
  else for await (const record of source.events(query)) records.push(record);
  return usageReport({
    window,
    principalArn,
    source: name,
    statements: document.Statement,
    records,
  });
}

async function eventSource(
  account: Account,
  cloudtrail: (region: string) => Promise<CloudTrailClient>,
  now: Date,
  options: CollectUsageOptions,
): Promise<{ name: UsageSource; source: EventSource }> {
  const athena = account.cloudtrail?.athena;
  if (athena) {
    if (!options.athena)
      throw new Error(
        `${account.alias} reads CloudTrail through Athena (cloudtrail.athena) but no Athena client was given`,
      );
    // No region filter: the trail's table holds every region, and a grant may be used in any.
    const source = athenaSource({
      client: await options.athena(athena.region),
      table: `${athena.database}.${athena.table}`,
      ...(athena.workgroup ? { workGroup: athena.workgroup } : {}),
      ...(athena.outputLocation ? { outputLocation: athena.outputLocation } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
    return { name: 'athena', source };
  }
  const regions = [...new Set(['us-east-1', ...account.regions])];
  const clients = new Map(
    await Promise.all(regions.map(async (r) => [r, await cloudtrail(r)] as const)),
  );
  // The run's own time bounds LookupEvents' 90-day reach, not the machine's.
  const source = lookupEventsSource({ regions, client: (r) => clients.get(r)!, now: () => now });
  return { name: 'lookup-events', source };
}
