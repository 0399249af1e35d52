import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { PolicyDocument } from '../policy/build.js';
import type { CloudTrailRecord } from '../runbook/event.js';
import { lookupEventsSource } from '../runbook/sources/lookup-events.js';
import type { RevokeDecision } from './sweep.js';
import { usageReport, type UsageReport } from './usage.js';

/**
 * Reads the principal's CloudTrail activity during a revoked grant's window and compares it
 * with what the policy allowed. Undefined when the policy's tags or document are not readable.
 */
export async function collectUsage(
  decision: Extract<RevokeDecision, { kind: 'revoked' }>,
  cloudtrail: (region: string) => Promise<CloudTrailClient>,
  now: Date,
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
  const regions = [...new Set(['us-east-1', ...account.regions])];
  const clients = new Map(
    await Promise.all(regions.map(async (r) => [r, await cloudtrail(r)] as const)),
  );
  // The run's own time bounds LookupEvents' 90-day reach, not the machine's.
  const source = lookupEventsSource({ regions, client: (r) => clients.get(r)!, now: () => now });
  const records: CloudTrailRecord[] = [];
  const to = new Date(Math.min(now.getTime(), window.expiry.getTime()));
  for await (const record of source.events({ from: window.start, to, principalArn }))
    records.push(record);
  return usageReport({ window, principalArn, statements: document.Statement, records });
}
