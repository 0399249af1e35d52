import { CreatePolicyCommand, GetPolicyCommand } from '@aws-sdk/client-iam';
import { parseQuery } from '../../../emulators/aws/protocol/query.js';
import { escapeXml, queryResponse } from '../../../emulators/aws/protocol/xml.js';
import { doc, iamClient, startAt } from './world.js';

describe('Query protocol', () => {
  it('turns member lists and nested members into values', () => {
    const params = parseQuery(
      'Action=TagPolicy&Tags.member.2.Key=b&Tags.member.1.Key=a&Tags.member.1.Value=1&TagKeys.member.1=x&Empty=',
    );
    expect({ ...params, Tags: params.Tags }).toEqual({
      Action: 'TagPolicy',
      Tags: [{ Key: 'a', Value: '1' }, { Key: 'b' }],
      TagKeys: ['x'],
      Empty: '',
    });
  });

  it('keeps hostile member names away from prototypes', () => {
    const params = parseQuery('__proto__.polluted=yes&constructor.prototype.polluted=yes');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(params)).toBeNull();
  });

  it('escapes text in XML answers', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(queryResponse('DeletePolicy', 'ns', undefined, 'r-1')).toBe(
      '<DeletePolicyResponse xmlns="ns"><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DeletePolicyResponse>',
    );
  });

  it('round-trips markup-looking text through the real SDK', async () => {
    const emu = await startAt();
    try {
      const iam = iamClient(emu);
      const description = `<script>alert("x")</script> & 'more'`;
      const created = await iam.send(
        new CreatePolicyCommand({
          PolicyName: 'odd',
          Description: description,
          PolicyDocument: doc({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::a&b<c>',
          }),
        }),
      );
      const got = await iam.send(new GetPolicyCommand({ PolicyArn: created.Policy!.Arn }));
      expect(got.Policy!.Description).toBe(description);
    } finally {
      await emu.close();
    }
  });
});
