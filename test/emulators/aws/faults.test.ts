import { CreatePolicyCommand, GetPolicyCommand, GetUserCommand } from '@aws-sdk/client-iam';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import { ACCOUNT, codeOf, doc, iamClient, startAt } from './world.js';

let emu: AwsEmulator;
const READ_LOGS = doc({ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' });
const ARN = `arn:aws:iam::${ACCOUNT}:policy/jit/p`;
const create = () =>
  new CreatePolicyCommand({ PolicyName: 'p', Path: '/jit/', PolicyDocument: READ_LOGS });

beforeEach(async () => {
  emu = await startAt();
});
afterEach(() => emu.close());

const outcomes = (name: string) =>
  emu.state.cloudtrail.events
    .filter((e) => e.eventName === name)
    .map((e) => e.record.errorCode ?? 'ok');

describe('fault injection', () => {
  it('throttles once; the SDK retries and succeeds, and nothing was applied twice', async () => {
    emu.faults.inject({ action: 'CreatePolicy', kind: 'throttle' });
    const out = await iamClient(emu).send(create());
    expect(out.$metadata.attempts).toBe(2);
    expect(outcomes('CreatePolicy')).toEqual(['Throttling', 'ok']);
  });

  it('answers 5xx; the SDK retries', async () => {
    emu.state.addManagedPolicy({ name: 'p', path: '/jit/', document: READ_LOGS });
    emu.faults.inject({ action: 'GetPolicy', kind: '5xx', times: 2 });
    const out = await iamClient(emu).send(new GetPolicyCommand({ PolicyArn: ARN }));
    expect(out.$metadata.attempts).toBe(3);
    emu.faults.inject({ action: 'GetPolicy', kind: '5xx', times: 2 });
    const error = await iamClient(emu, undefined, 2)
      .send(new GetPolicyCommand({ PolicyArn: ARN }))
      .catch((e: Error) => e);
    expect(error).toMatchObject({
      name: 'ServiceFailureException',
      $metadata: { httpStatusCode: 500 },
    });
  });

  it('drops the response after applying: the retry meets EntityAlreadyExists, once', async () => {
    emu.faults.inject({ action: 'CreatePolicy', kind: 'drop-after-apply' });
    expect(await codeOf(iamClient(emu).send(create()))).toBe('EntityAlreadyExists');
    expect([...emu.state.policies.keys()].filter((arn) => arn === ARN)).toHaveLength(1);
    expect(outcomes('CreatePolicy')).toEqual(['ok', 'EntityAlreadyExists']);
  });

  it('delays by the given latency', async () => {
    emu.faults.inject({ kind: 'latency', ms: 120 });
    const started = Date.now();
    await iamClient(emu).send(new GetUserCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('targets only the named action', async () => {
    emu.faults.inject({ action: 'CreatePolicy', kind: 'throttle', times: 5 });
    const out = await iamClient(emu).send(new GetUserCommand({}));
    expect(out.$metadata.attempts).toBe(1);
  });

  it('hits a seeded fraction of calls, the same way every run', async () => {
    const run = async () => {
      emu.faults.clear();
      emu.faults.seed(42);
      emu.faults.inject({ action: 'GetUser', kind: 'throttle', rate: 0.3 });
      const iam = iamClient(emu, undefined, 1);
      const results: string[] = [];
      for (let i = 0; i < 20; i++) results.push(await codeOf(iam.send(new GetUserCommand({}))));
      return results;
    };
    const first = await run();
    expect(first).toEqual(await run());
    const throttled = first.filter((r) => r === 'Throttling').length;
    expect(throttled).toBeGreaterThan(0);
    expect(throttled).toBeLessThan(20);
  });
});
