import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { assumeRoleWithOidc } from '../aws/credentials.js';
import { messageOf } from '../aws/errors.js';
import type { Activity } from '../report/request-comment.js';
import { lookupEventsSource } from '../runbook/sources/lookup-events.js';
import type { Plan } from './plan.js';
import { requesterActivity } from './requester-activity.js';

/**
 * The request check's CloudTrail report for each valid plan: the account's read-only runbook
 * role through OIDC, then LookupEvents in the account's regions. Accounts without a runbook
 * role get no report; a failure becomes a line in the comment, never a failed check.
 */
export function cloudTrailActivity(options: {
  getIdToken: () => Promise<string>;
  region: string;
  sessionName: string;
  runbook: { text: string; file: string };
  now: Date;
}): (plan: Plan) => Promise<Activity | undefined> {
  return async (plan) => {
    const role = plan.resolved.account.runbookRole;
    if (!role) return undefined;
    try {
      const credentials = await assumeRoleWithOidc({
        roleArn: role,
        webIdentityToken: await options.getIdToken(),
        sessionName: options.sessionName,
        region: options.region,
      });
      const source = lookupEventsSource({
        regions: plan.resolved.account.regions,
        client: (region) => new CloudTrailClient({ region, credentials }),
        now: () => options.now,
      });
      const report = await requesterActivity({
        plan,
        runbook: options.runbook,
        source,
        now: options.now,
      });
      return report.ok
        ? { ok: true, markdown: report.value }
        : { ok: false, reason: report.problems.map((p) => p.message).join('; ') };
    } catch (e) {
      return { ok: false, reason: messageOf(e) };
    }
  };
}
