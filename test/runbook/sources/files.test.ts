import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CloudTrailRecord, EventQuery } from '../../../src/runbook/event.js';
import { filesSource, type FilesProgress } from '../../../src/runbook/sources/files.js';
import { parsePrincipal } from '../../../src/runbook/principal.js';

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const rec = (eventTime: string, awsRegion: string, user = 'alice'): CloudTrailRecord => ({
  eventTime,
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  awsRegion,
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/${user}` },
});

async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'jit-files-'));
  for (const [path, body] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), body);
  }
  return root;
}

const logs = (records: CloudTrailRecord[]) => JSON.stringify({ Records: records });
const day = (region: string, date: string) =>
  `AWSLogs/111122223333/CloudTrail/${region}/${date.replace(/-/g, '/')}/f_${region}_${date}.json.gz`;

async function read(root: string, query: Partial<EventQuery> = {}) {
  const skipped: string[] = [];
  const progress: FilesProgress[] = [];
  const source = filesSource({
    root,
    onSkip: (file, reason) => skipped.push(`${file.slice(root.length + 1)}: ${reason}`),
    onProgress: (p) => progress.push(p),
  });
  const out: string[] = [];
  for await (const r of source.events({
    from: new Date('2026-03-10T00:00:00Z'),
    to: new Date('2026-03-12T00:00:00Z'),
    principal: parsePrincipal(ALICE),
    ...query,
  }))
    out.push(`${r.eventTime} ${r.awsRegion}`);
  return { out, skipped, progress };
}

test('reads .json.gz, .json, .jsonl and .jsonl.gz, keeping the principal and the window', async () => {
  const root = await tree({
    [day('eu-west-1', '2026-03-10')]: gzipSync(
      logs([
        rec('2026-03-10T10:00:00Z', 'eu-west-1'),
        rec('2026-03-10T10:00:01Z', 'eu-west-1', 'bob'),
      ]),
    ),
    'extra/plain.json': logs([rec('2026-03-11T09:00:00Z', 'us-east-1')]),
    'extra/lines.jsonl':
      [rec('2026-03-11T10:00:00Z', 'us-east-1'), rec('2026-03-13T00:00:00Z', 'us-east-1')]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    'extra/lines.jsonl.gz': gzipSync(JSON.stringify(rec('2026-03-11T11:00:00Z', 'us-east-1'))),
    'extra/notes.txt': 'not a log',
  });
  const { out, skipped, progress } = await read(root);
  expect(out.sort()).toEqual([
    '2026-03-10T10:00:00Z eu-west-1',
    '2026-03-11T09:00:00Z us-east-1',
    '2026-03-11T10:00:00Z us-east-1',
    '2026-03-11T11:00:00Z us-east-1',
  ]);
  expect(skipped).toEqual([]);
  expect(progress.at(-1)).toMatchObject({ files: 4, totalFiles: 4, records: 6 });
});

test('date and region folders outside the query are never opened', async () => {
  // Files that would be skipped as unreadable if they were read.
  const garbage = 'not json';
  const root = await tree({
    [day('eu-west-1', '2026-03-09')]: gzipSync(logs([rec('2026-03-09T23:58:00Z', 'eu-west-1')])),
    [day('eu-west-1', '2026-03-10')]: gzipSync(logs([rec('2026-03-10T10:00:00Z', 'eu-west-1')])),
    // A call just before midnight, delivered into the next day's folder: still read.
    [day('eu-west-1', '2026-03-12')]: gzipSync(logs([rec('2026-03-11T23:58:00Z', 'eu-west-1')])),
    [day('eu-west-1', '2026-03-14')]: garbage,
    [day('eu-west-1', '2026-02-10')]: garbage,
    [day('eu-west-1', '2025-03-10')]: garbage,
    [day('ap-south-1', '2026-03-10')]: garbage,
  });
  const { out, skipped } = await read(root, { regions: ['eu-west-1'] });
  expect(skipped).toEqual([]);
  expect(out).toEqual(['2026-03-10T10:00:00Z eu-west-1', '2026-03-11T23:58:00Z eu-west-1']);
  // Without the region restriction the ap-south-1 folder is read (and is garbage).
  expect((await read(root)).skipped).toEqual([
    expect.stringMatching(/ap-south-1.*(JSON|Unexpected|incorrect header)/),
  ]);
});

test('an unreadable file is skipped with its reason; the rest is read', async () => {
  const root = await tree({
    'a.json': '{"Records": [',
    'b.json': '{"records": []}',
    'c.json.gz': 'not gzip',
    'd.json': logs([rec('2026-03-11T09:00:00Z', 'us-east-1')]),
  });
  const { out, skipped } = await read(root);
  expect(out).toEqual(['2026-03-11T09:00:00Z us-east-1']);
  expect(skipped).toEqual([
    expect.stringMatching(/^a\.json: .*JSON/),
    'b.json: not a CloudTrail log file: no "Records" list',
    expect.stringMatching(/^c\.json\.gz: incorrect header check/),
  ]);
});

test('digest files, beside the logs in a real bucket, are neither read nor reported', async () => {
  // Where CloudTrail delivers digests (log file integrity validation): an hourly file per
  // region, holding hashes, not records (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html).
  const digest = JSON.stringify({ awsAccountId: '111122223333', logFiles: [] });
  const root = await tree({
    [day('eu-west-1', '2026-03-10')]: gzipSync(logs([rec('2026-03-10T10:00:00Z', 'eu-west-1')])),
    'AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/03/10/111122223333_CloudTrail-Digest_eu-west-1_trail_us-east-1_20260310T110000Z.json.gz':
      gzipSync(digest),
    'AWSLogs/o-abc123/111122223333/CloudTrail-Digest/eu-west-1/2026/03/11/x_CloudTrail-Digest_eu-west-1_t_us-east-1_20260311T110000Z.json.gz':
      gzipSync(digest),
  });
  const { out, skipped, progress } = await read(root);
  expect(out).toEqual(['2026-03-10T10:00:00Z eu-west-1']);
  expect(skipped).toEqual([]);
  expect(progress.at(-1)).toMatchObject({ files: 1, totalFiles: 1 });
});
