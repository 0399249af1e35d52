import { callerAccount, type CallContext, type Operation } from '../operation.js';
import { AwsError } from '../protocol/errors.js';
import type { StoredEvent } from './store.js';
import type { RateLimiter } from './throttle.js';

export interface LookupEventsInput {
  LookupAttributes?: { AttributeKey?: string; AttributeValue?: string }[];
  StartTime?: number;
  EndTime?: number;
  EventCategory?: string;
  MaxResults?: number;
  NextToken?: string;
}

/** Event history covers the last 90 days. */
export const RETENTION_MS = 90 * 24 * 3600 * 1000;
export const MAX_RESULTS = 50;

const MATCHERS: Record<string, (e: StoredEvent, value: string) => boolean> = {
  EventId: (e, v) => e.eventId === v,
  EventName: (e, v) => e.eventName === v,
  ReadOnly: (e, v) => String(e.readOnly) === v,
  Username: (e, v) => e.username === v,
  ResourceType: (e, v) => e.resources.some((r) => r.ResourceType === v),
  ResourceName: (e, v) => e.resources.some((r) => r.ResourceName === v),
  EventSource: (e, v) => e.eventSource === v,
  AccessKeyId: (e, v) => e.accessKeyId === v,
};

const fail = (code: string, message: string): AwsError => new AwsError(code, message);

/**
 * LookupEvents over the event history of the caller's account in the region it called: newest
 * first, at most one lookup attribute, a time range within the 90-day retention, and paging by
 * an opaque token that stays valid while new events arrive.
 *
 * Management events only: "Looks up management events or CloudTrail Insights events"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html). Data
 * events (S3 object reads and writes, Lambda Invoke, DynamoDB item calls…) are logged only by a
 * trail or event data store that selects them, and never appear here, whatever the filter. Which
 * events those are is read from each record (`managementEvent`, `eventCategory`).
 */
export function lookupEvents(limiter: RateLimiter): Operation<LookupEventsInput, unknown> {
  return {
    readOnly: true,
    authorize: () => ({ action: 'cloudtrail:LookupEvents', resource: '*' }),
    run: (ctx: CallContext<LookupEventsInput>) => {
      const account = callerAccount(ctx);
      if (!limiter.take(`${account}/${ctx.region}`))
        throw fail('ThrottlingException', 'Rate exceeded');
      const input = ctx.input ?? {};
      const attributes = input.LookupAttributes ?? [];
      if (attributes.length > 1)
        throw fail(
          'InvalidLookupAttributesException',
          'You can specify only one lookup attribute.',
        );
      const [attribute] = attributes;
      const matcher = attribute ? MATCHERS[attribute.AttributeKey ?? ''] : undefined;
      if (attribute && (!matcher || typeof attribute.AttributeValue !== 'string'))
        throw fail(
          'InvalidLookupAttributesException',
          `Invalid lookup attribute key: ${attribute.AttributeKey}`,
        );
      const max = input.MaxResults ?? MAX_RESULTS;
      if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS)
        throw fail(
          'InvalidMaxResultsException',
          `MaxResults must be between 1 and ${MAX_RESULTS}.`,
        );
      if (input.EventCategory !== undefined && input.EventCategory !== 'insight')
        throw fail(
          'InvalidEventCategoryException',
          `Invalid event category: ${input.EventCategory}`,
        );

      const now = ctx.clock.now().getTime();
      const start = Math.max(
        input.StartTime !== undefined ? input.StartTime * 1000 : 0,
        now - RETENTION_MS,
      );
      const end = Math.min(input.EndTime !== undefined ? input.EndTime * 1000 : now, now);
      if (
        input.StartTime !== undefined &&
        input.EndTime !== undefined &&
        input.StartTime > input.EndTime
      )
        throw fail('InvalidTimeRangeException', 'Start time must be before end time.');
      // "This token must be passed in with the same parameters that were specified in the
      // original call" (API_LookupEvents.html): a token is refused with other parameters.
      const query = JSON.stringify([
        attribute?.AttributeKey,
        attribute?.AttributeValue,
        input.StartTime,
        input.EndTime,
        input.EventCategory,
      ]);
      const after = input.NextToken !== undefined ? decodeToken(input.NextToken, query) : undefined;

      // Insights events are not emulated: that category is always empty.
      const candidates =
        input.EventCategory === 'insight'
          ? []
          : ctx.state.cloudtrail.events.filter(
              (e) =>
                e.management &&
                e.accountId === account &&
                e.region === ctx.region &&
                e.time.getTime() >= start &&
                e.time.getTime() <= end &&
                (!matcher || matcher(e, attribute!.AttributeValue!)),
            );
      const ordered = candidates
        .sort(newestFirst)
        .filter((e) => !after || newestFirst(e, after) > 0);
      const pageEvents = ordered.slice(0, max);
      const last = pageEvents[pageEvents.length - 1];
      return {
        Events: pageEvents.map(render),
        NextToken: ordered.length > max && last ? encodeToken(last, query) : undefined,
      };
    },
  };
}

const newestFirst = (
  a: Pick<StoredEvent, 'time' | 'seq'>,
  b: Pick<StoredEvent, 'time' | 'seq'>,
): number => b.time.getTime() - a.time.getTime() || b.seq - a.seq;

function encodeToken(e: StoredEvent, query: string): string {
  return Buffer.from(JSON.stringify({ t: e.time.getTime(), s: e.seq, q: query })).toString(
    'base64',
  );
}

function decodeToken(token: string, query: string): Pick<StoredEvent, 'time' | 'seq'> {
  try {
    const { t, s, q } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {
      t: unknown;
      s: unknown;
      q: unknown;
    };
    if (typeof t === 'number' && typeof s === 'number' && q === query)
      return { time: new Date(t), seq: s };
  } catch {
    // fall through to AWS's error
  }
  throw fail('InvalidNextTokenException', 'Invalid NextToken.');
}

/** An `Event` as LookupEvents returns it: indexed fields plus the full record as JSON text. */
function render(e: StoredEvent): Record<string, unknown> {
  return {
    EventId: e.eventId,
    EventName: e.eventName,
    ReadOnly: String(e.readOnly),
    AccessKeyId: e.accessKeyId,
    EventTime: e.time.getTime() / 1000,
    EventSource: e.eventSource,
    Username: e.username,
    Resources: e.resources,
    CloudTrailEvent: JSON.stringify(e.record),
  };
}
