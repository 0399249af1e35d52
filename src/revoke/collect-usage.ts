import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { Account } from '../domain.js';
import type { PolicyDocument } from '../policy/build.js';
import type { CloudTrailRecord, EventQuery, EventSource } from '../runbook/event.js';
import { permissionSetName } from '../aws/permission-set.js';
import {
  madeByPrincipal,
  parsePrincipal,
  SSO_ROLE_PREFIX,
  ssoUserPrincipal,
} from '../runbook/principal.js';
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
  const start = policy.tags['jit:start'] ? new Date(policy.tags['jit:start']) : undefined;
  const document = decision.document as PolicyDocument | undefined;
  const whose = grantPrincipal(decision);
  if (!whose || !start || Number.isNaN(start.getTime()) || !policy.expiry || !document?.Statement)
    return undefined;
  const window = { start, expiry: policy.expiry };
  const { name, source } = await eventSource(account, cloudtrail, now, options);
  const records: CloudTrailRecord[] = [];
  const to = new Date(Math.min(now.getTime(), window.expiry.getTime()));
  const query: EventQuery = { from: window.start, to, principal: whose.principal };
  const keep = (batch: CloudTrailRecord[]) => records.push(...batch.filter(whose.made));
  if (source.batches) for await (const batch of source.batches(query)) keep(batch);
  else for await (const record of source.events(query)) keep([record]);
  return usageReport({
    window,
    principalArn: whose.label,
    source: name,
    statements: document.Statement,
    records,
  });
}

/**
 * Whose calls a grant's report counts: `query` narrows what the source reads, `made` decides
 * each record, `label` names them in the report.
 *
 * IAM: the `jit:principal` ARN. Identity Center: `jit:principal` holds the user name, and the
 * user may have other permission sets in the same account. The grant's own permission set is
 * the only way in that its window covers, and Identity Center names its role
 * `AWSReservedSSO_<permission set name>_<hex>` in each account, so the report keeps the user's
 * Identity Center sessions of exactly that role in the granted account.
 */
function grantPrincipal(decision: Extract<RevokeDecision, { kind: 'revoked' }>):
  | {
      principal: EventQuery['principal'];
      made: (record: CloudTrailRecord) => boolean;
      label: string;
    }
  | undefined {
  const tags = decision.policy.tags;
  const principal = tags['jit:principal'];
  if (!principal) return undefined;
  if (decision.backend !== 'identity-center') {
    const parsed = parsePrincipal(principal);
    return { principal: parsed, made: () => true, label: principal };
  }
  const requestId = tags['jit:request'];
  const pr = tags['jit:pr'] === undefined ? undefined : Number(tags['jit:pr']);
  if (!requestId || (pr !== undefined && !Number.isInteger(pr))) return undefined;
  const role = `${SSO_ROLE_PREFIX}${permissionSetName(requestId, pr)}_`;
  const accountId = decision.account.id;
  const parsed = parsePrincipal(ssoUserPrincipal(principal));
  const ssoUser = madeByPrincipal(parsed);
  return {
    principal: parsed,
    made: (record) => ssoUser(record) && isSessionOf(record, accountId, role),
    label: `arn:aws:sts::${accountId}:assumed-role/${role}*/${principal}`,
  };
}

/**
 * `arn:P:sts::<account>:assumed-role/<role prefix><hex>/<session>`: a session of the permission
 * set's role in that account. The suffix must be all hex, so the role of a set whose name merely
 * starts with this one's followed by `_` is not taken for it.
 */
function isSessionOf(record: CloudTrailRecord, accountId: string, rolePrefix: string): boolean {
  const arn = record.userIdentity?.arn;
  if (typeof arn !== 'string') return false;
  const m = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  if (!m || m[1] !== accountId || !m[2]!.startsWith(rolePrefix)) return false;
  return /^[0-9a-fA-F]+$/.test(m[2]!.slice(rolePrefix.length));
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
    // Each source, and the SDK client package it sends commands with, is loaded on first use
    // (as src/aws/clients.ts loads clients): a scheduled run that revokes nothing, the usual
    // one, loads neither.
    const { athenaSource } = await import('../runbook/sources/athena.js');
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
  const { lookupEventsSource } = await import('../runbook/sources/lookup-events.js');
  // The run's own time bounds LookupEvents' 90-day reach, not the machine's.
  const source = lookupEventsSource({ regions, client: (r) => clients.get(r)!, now: () => now });
  return { name: 'lookup-events', source };
}
