/**
 * The request check's CloudTrail report: the built request action takes the runbook role from
 * deploy/ through OIDC, reads the requester's activity with LookupEvents (real paging and the
 * 2-per-second limit), and puts the runbook report in the sticky comment.
 */
import { OCTOCAT_ARN, REPO, T0, prOpened, requestFile, run, world, type World } from './world.js';
import { outsideCode, renderGfm } from '../report/render.js';

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w.close());

const at = (minutesBefore: number) => new Date(T0.getTime() - minutesBefore * 60_000).toISOString();
const record = (eventName: string, eventTime: string, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLEOCTOCAT',
    arn: OCTOCAT_ARN,
    accountId: '123456789012',
    userName: 'octocat',
  },
  eventTime,
  eventSource: 's3.amazonaws.com',
  eventName,
  awsRegion: 'eu-west-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: '[aws-cli/2.15.0] @acme/admins <img src=x>',
  requestParameters: { bucketName: 'acme-prod-logs' },
  responseElements: null,
  eventID: `${eventName}-${eventTime}`,
  eventType: 'AwsApiCall',
  // Bucket-level S3 calls are management events: LookupEvents has them (object reads it has not).
  managementEvent: true,
  recipientAccountId: '123456789012',
  eventCategory: 'Management',
  ...extra,
});

test('the review comment carries the requester activity, read through the runbook role', async () => {
  w.aws.state.cloudtrail.seed({
    Records: [
      record('GetBucketPolicy', at(3 * 24 * 60), {
        errorCode: 'AccessDenied',
        errorMessage: 'Access Denied',
      }),
      record('GetBucketPolicy', at(2 * 24 * 60), {
        errorCode: 'AccessDenied',
        errorMessage: 'Access Denied',
      }),
      record('ListBuckets', at(24 * 60)),
    ],
  });
  // LookupEvents' rate limit refills with the emulator's clock: let it run.
  w.aws.clock.runFrom(T0);
  const pr = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-logs.yaml': requestFile() },
  });
  const checked = await run(w, 'request', prOpened(w, pr.number), {
    workflowPath: '.github/workflows/request.yml',
  });
  expect(checked.code).toBe(0);
  const body = w.gh.state.comments.find((c) => c.issueNumber === pr.number)?.body ?? '';
  expect(body).toContain('CloudTrail activity of');
  expect(body).not.toContain('No CloudTrail report');
  expect(body).toMatch(/GetBucketPolicy[^\n]*AccessDenied/);
  expect(body).toContain('ListBuckets');
  // The report says what LookupEvents cannot see: the requester's S3 object reads, if any.
  expect(body).toContain(
    'Source: CloudTrail `LookupEvents`, management events only: data events such as S3 object reads are not in LookupEvents',
  );
  // The highlights are in the open, above the folded report.
  const open = body.slice(0, body.indexOf('<details>'));
  expect(open).toMatch(/3 events in the \d+ days? to/);
  expect(open).toContain('🚩');
  expect(open).not.toContain('CloudTrail activity of');
  // Event fields are untrusted too: they stay inert in the rendered comment.
  expect(outsideCode(renderGfm(body))).not.toMatch(/@acme|<img/);
  // The runbook role made the reads, and only reads.
  const byRunbook = w.aws.state.cloudtrail.events.filter((e) =>
    String((e.record.userIdentity as { arn?: string } | undefined)?.arn ?? '').includes(
      'assumed-role/jit-access-runbook/',
    ),
  );
  expect(byRunbook.map((e) => e.eventName)).toEqual(expect.arrayContaining(['LookupEvents']));
  expect(new Set(byRunbook.map((e) => e.eventName))).toEqual(new Set(['LookupEvents']));
});
