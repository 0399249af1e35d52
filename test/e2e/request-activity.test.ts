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
  managementEvent: false,
  recipientAccountId: '123456789012',
  ...extra,
});

test('the review comment carries the requester activity, read through the runbook role', async () => {
  w.aws.state.cloudtrail.seed({
    Records: [
      record('GetObject', at(3 * 24 * 60), {
        errorCode: 'AccessDenied',
        errorMessage: 'Access Denied',
      }),
      record('GetObject', at(2 * 24 * 60), {
        errorCode: 'AccessDenied',
        errorMessage: 'Access Denied',
      }),
      record('ListObjects', at(24 * 60)),
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
  expect(body).not.toContain("Requester's CloudTrail:** _no report");
  expect(body).toContain('GetObject');
  // The requester was denied s3:GetObject before: the very action the request asks for.
  expect(body).toMatch(/s3:GetObject/);
  // ...and the highlights say so in the open, above the folded report.
  const open = body.slice(0, body.indexOf('<details>'));
  expect(open).toContain('🚩 Requested actions refused before');
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
