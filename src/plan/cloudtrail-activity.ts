import {
  CloudTrailClient,
  type LookupEventsCommand,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { assumeRoleWithOidc } from '../aws/credentials.js';
import type { Activity, LookupCoverage } from '../report/request-comment.js';
import type { EventSource } from '../runbook/event.js';
import { lookupEventsSource } from '../runbook/sources/lookup-events.js';
import type { Plan } from './plan.js';
import { requesterActivity } from './requester-activity.js';

/** How long the request check waits for a CloudTrail report unless told otherwise. */
export const DEFAULT_REPORT_BUDGET_SECONDS = 60;

/** The request check's CloudTrail reports: which plans get one, and reading one. */
export interface CloudTrailReports {
  budgetSeconds: number;
  /** Whether the plan gets a report: its account names a runbook role. */
  covers(plan: Plan): boolean;
  /**
   * The report, within the budget: when it runs out the reads stop and what they had covered
   * is reported as cut. Never throws: a failure is a line in the comment, not a failed check.
   */
  read(plan: Plan): Promise<Activity>;
}

/**
 * The request check's CloudTrail report for each valid plan: the account's read-only runbook
 * role through OIDC, then LookupEvents in the account's regions, all under one time budget. A
 * huge history or a slow, throttled LookupEvents makes the report partial, never the check late.
 */
export function cloudTrailActivity(options: {
  getIdToken: () => Promise<string>;
  region: string;
  sessionName: string;
  runbook: { text: string; file: string };
  now: Date;
  budgetSeconds: number;
  /** AWS somewhere other than AWS (the emulators); AWS's own endpoints when absent. */
  endpoint?: string;
}): CloudTrailReports {
  const endpoint = options.endpoint ? { endpoint: options.endpoint } : {};
  return {
    budgetSeconds: options.budgetSeconds,
    covers: (plan) => plan.resolved.account.runbookRole !== undefined,
    async read(plan) {
      const role = plan.resolved.account.runbookRole;
      if (!role) return { state: 'failed', reason: 'the account has no runbook role' };
      const signal = AbortSignal.timeout(options.budgetSeconds * 1000);
      const coverage = new Coverage();
      // The role exchange counts against the budget too: it is the source's first step.
      const credentials = (async () =>
        assumeRoleWithOidc({
          roleArn: role,
          webIdentityToken: await options.getIdToken(),
          sessionName: options.sessionName,
          region: options.region,
          ...endpoint,
        }))();
      credentials.catch(() => undefined); // read below; unwatched only when the budget cut it
      const source: EventSource = {
        name: 'lookup-events',
        async *events(query) {
          const keys = await credentials;
          const lookup = lookupEventsSource({
            regions: plan.resolved.account.regions,
            client: (region) =>
              coverage.observe(
                region,
                new CloudTrailClient({ region, credentials: keys, ...endpoint }),
                signal,
              ),
            now: () => options.now,
          });
          yield* lookup.events(query);
        },
      };
      const report = await requesterActivity({
        plan,
        runbook: options.runbook,
        source,
        now: options.now,
        signal,
      });
      if (!report.ok)
        return { state: 'failed', reason: report.problems.map((p) => p.message).join('; ') };
      const { markdown, highlights, cut, window } = report.value;
      if (!cut) return { state: 'complete', markdown, highlights };
      return {
        state: 'cut',
        budgetSeconds: options.budgetSeconds,
        markdown,
        highlights,
        coverage: { ...window, lookups: coverage.lookups(window.from) },
      };
    },
  };
}

/**
 * What each LookupEvents lookup had read. A lookup pages newest first, so the oldest event of
 * its last page is how far back it had read; a page without a next token ends it. The same
 * client passes the budget's signal to every call, so a call in flight stops with the budget.
 */
class Coverage {
  private readonly seen = new Map<string, LookupCoverage & { oldest?: number }>();

  observe(region: string, client: CloudTrailClient, signal: AbortSignal): CloudTrailClient {
    return new Proxy(client, {
      get: (target, key, receiver) =>
        key === 'send'
          ? async (command: LookupEventsCommand): Promise<LookupEventsCommandOutput> => {
              const entry = this.entry(region, command);
              const page = await target.send(command, { abortSignal: signal });
              for (const e of page.Events ?? []) {
                const at = e.EventTime?.getTime();
                if (at !== undefined && !(at >= (entry.oldest ?? Infinity))) entry.oldest = at;
              }
              if (!page.NextToken) entry.complete = true;
              return page;
            }
          : Reflect.get(target, key, receiver),
    });
  }

  lookups(windowFrom: string): LookupCoverage[] {
    return [...this.seen.values()].map(({ region, lookup, oldest, complete }) => ({
      region,
      lookup,
      complete,
      ...(oldest !== undefined && !complete
        ? { reachedBack: new Date(Math.max(oldest, Date.parse(windowFrom))).toISOString() }
        : {}),
    }));
  }

  private entry(region: string, command: LookupEventsCommand) {
    const attribute = command.input.LookupAttributes?.[0];
    const lookup =
      attribute?.AttributeKey === 'EventName'
        ? `${attribute.AttributeValue ?? ''} calls on the requester (earlier grants)`
        : "the requester's own calls";
    const key = `${region}\n${lookup}`;
    let entry = this.seen.get(key);
    if (!entry) this.seen.set(key, (entry = { region, lookup, complete: false }));
    return entry;
  }
}
