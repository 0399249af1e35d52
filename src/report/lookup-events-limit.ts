/**
 * What CloudTrail's LookupEvents cannot see, said wherever a report was read from it: it
 * returns management events only
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html), so a
 * grant's S3 object reads, Lambda invocations or DynamoDB item calls are never in it. A report
 * that does not say so reads as "not used" where it means "not visible".
 */
export const LOOKUP_EVENTS_LIMIT = 'data events such as S3 object reads are not in LookupEvents';

/** The usage report's way to see them: the trail itself, through Athena. */
export const USAGE_REMEDY = 'configure `cloudtrail.athena` for them';

/** The runbook report's way to see them: the trail's files, or Athena over them. */
export const RUNBOOK_REMEDY =
  'read the trail (`jit runbook --source files:` or `athena:`) for them';
