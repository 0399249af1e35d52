import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clockTime, type Demo } from './context.js';
import type { Granted } from './grant.js';
import type { Requested } from './request.js';
import { START, simulatedS3Activity } from './scenario.js';

const MINUTE = 60_000;

/**
 * Step 5: the requester uses the access. One real call, signed with the user's own key, shows
 * how CloudTrail sees them; the S3 work itself is simulated (the emulator has no S3), as the
 * data events CloudTrail would have logged.
 */
export async function useAccess(demo: Demo, requested: Requested, granted: Granted): Promise<void> {
  const { aws } = demo.world;
  const { principalArn, account } = requested.plan.resolved;
  const step = demo.narrator.step('activity', 'The requester works with the access');

  aws.clock.set(new Date(granted.window.start.getTime() + 3 * MINUTE));
  const user = principalArn.slice(principalArn.lastIndexOf('/') + 1);
  const key = aws.state.addAccessKey({ userName: user, accountId: account.id });
  const sts = new STSClient(aws.clientConfig(key));
  const me = await sts.send(new GetCallerIdentityCommand({}));
  step.say(
    `${clockTime(aws.clock.now(), START)} sts:GetCallerIdentity signed with ${user}'s own key → ${me.Arn ?? '?'}`,
  );
  step.check('a real call as the requester is authenticated as them', me.Arn === principalArn);

  const records = simulatedS3Activity({
    window: granted.window,
    principalArn,
    accountId: account.id,
    region: account.regions[0] ?? 'us-east-1',
  });
  aws.state.cloudtrail.seed(records);
  step.say('simulated S3 activity, seeded into CloudTrail as the data events S3 would log:');
  for (const r of records) {
    const params = r.requestParameters as { bucketName: string; key: string };
    step.say(
      `${clockTime(new Date(String(r.eventTime)), START)} s3:${String(r.eventName).padEnd(10)} s3://${params.bucketName}/${params.key}${r.errorCode ? `  → ${String(r.errorCode)}` : ''}`,
    );
  }
  step.fact('simulatedEvents', records.length);
  aws.clock.set(new Date(granted.window.start.getTime() + 15 * MINUTE));
}
