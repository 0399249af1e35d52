import type { Problem, Result } from '../problem.js';
import { fail, ok } from '../problem.js';
import { renderRunbookReport, runbookHighlights } from '../report/runbook.js';
import { runRunbook } from '../runbook/engine.js';
import type { EventSource } from '../runbook/event.js';
import { bind, parseRunbook } from '../runbook/parse.js';
import { ssoUserPrincipal } from '../runbook/principal.js';
import type { Plan } from './plan.js';

/** The rendered report, and whether the budget stopped it before the source's last record. */
export interface RequesterReport {
  markdown: string;
  /** The few lines shown above the folded report (report/runbook.ts). */
  highlights: string[];
  cut: boolean;
  /** The window the runbook asked for (ISO times). */
  window: { from: string; to: string };
}

/**
 * The reviewer's context for one planned request: the organisation's runbook (config
 * `defaults.runbook`) run over the requester's principal in the requested account, with the
 * requested actions as a parameter, rendered for the review comment. When `signal` aborts (the
 * report's time budget ran out) the source stops there and the report is made from what it had
 * read, marked `cut`: a slow or throttled source bounds the report, never hangs it.
 */
export async function requesterActivity(input: {
  plan: Plan;
  runbook: { text: string; file: string };
  source: EventSource;
  now: Date;
  signal?: AbortSignal;
}): Promise<Result<RequesterReport>> {
  const { plan, signal } = input;
  const definition = parseRunbook(input.runbook.text, input.runbook.file);
  if (!definition.ok) return definition;
  const declared = new Set(definition.value.parameters.map((p) => p.name));
  const principal = runbookPrincipal(plan);
  const values: Record<string, string | string[]> = { principal };
  if (declared.has('account')) values.account = plan.resolved.account.alias;
  if (declared.has('requested_actions')) {
    values.requested_actions = [...new Set(plan.resolved.statements.flatMap((s) => s.actions))];
  }
  const runbook = bind(definition.value, values);
  if (!runbook.ok) return runbook;
  try {
    const result = await runRunbook(
      runbook.value,
      signal ? untilAborted(input.source, signal) : input.source,
      input.now,
      plan.resolved.account.regions,
    );
    return ok({
      markdown: renderRunbookReport(result, { principal, source: input.source.name }),
      highlights: runbookHighlights(result),
      cut: signal?.aborted ?? false,
      window: result.window,
    });
  } catch (e) {
    return fail([
      problem(`reading CloudTrail (${input.source.name}) failed: ${(e as Error).message}`),
    ]);
  }
}

/**
 * Whose activity the reviewer sees: the IAM principal that would receive the grant, or, for an
 * account granted through Identity Center, the user's sessions of every permission set
 * (`sso-user:<name>`), since that user never acts as an IAM principal of their own.
 */
export function runbookPrincipal(plan: Plan): string {
  const { grantee } = plan.resolved;
  return grantee.backend === 'identity-center'
    ? ssoUserPrincipal(grantee.userName)
    : grantee.principalArn;
}

/** The source, ending (not failing) as soon as the signal aborts, even mid-wait for a record. */
function untilAborted(source: EventSource, signal: AbortSignal): EventSource {
  const { batches } = source;
  return {
    name: source.name,
    events: (query) => stopOn(signal, source.events(query)),
    ...(batches ? { batches: (query) => stopOn(signal, batches.call(source, query)) } : {}),
  };
}

async function* stopOn<T>(signal: AbortSignal, items: AsyncIterable<T>): AsyncIterable<T> {
  const iterator = items[Symbol.asyncIterator]();
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  for (;;) {
    const next = iterator.next();
    const first = await Promise.race([next, aborted]);
    if (first === 'aborted') {
      // The read in flight settles on its own (the source's requests abort on the same
      // signal); its outcome is no longer wanted, and nothing waits for it.
      next.then(() => iterator.return?.()).catch(() => undefined);
      return;
    }
    if (first.done) return;
    yield first.value;
  }
}

const problem = (message: string): Problem => ({ path: '', severity: 'error', message });
