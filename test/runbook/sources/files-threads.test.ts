/**
 * The files source's reader threads (files-pool.ts) change how fast a trail is read, never what
 * a report says: the default runbook's result is the same from one thread and from several, on
 * the shared real datasets and on a generated organisation trail with more groups than any
 * `top`; a file a thread cannot read is skipped with the same reason as without threads.
 *
 * Jest runs the TypeScript sources, where the threads' compiled module does not exist: it is
 * transpiled here (it and its one import use only Node's modules) and passed as `readerEntry`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import ts from 'typescript';
import { ensureOrgTrail, REQUESTER, TRAIL_END } from '../../../bench/org-trail.js';
import { runRunbook } from '../../../src/runbook/engine.js';
import type { CloudTrailRecord } from '../../../src/runbook/event.js';
import type { RunbookResult } from '../../../src/runbook/model.js';
import { bind, durationMs, parseRunbook } from '../../../src/runbook/parse.js';
import { parsePrincipal } from '../../../src/runbook/principal.js';
import { filesSource } from '../../../src/runbook/sources/files.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SOURCES = join(REPO, 'src/runbook/sources');
const SHARED = process.env.JIT_SHARED_DIR ?? join(REPO, '..', 'shared');
const DATA = join(SHARED, 'data', 'cloudtrail');

let entry: URL;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'jit-reader-'));
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  for (const name of ['files-worker', 'files-read']) {
    const source = readFileSync(join(SOURCES, `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(dir, `${name}.js`), outputText);
  }
  entry = pathToFileURL(join(dir, 'files-worker.js'));
});

function defaultRunbook(principal: string, since: string) {
  const parsed = parseRunbook(readFileSync(join(REPO, 'runbooks/requester-context.yaml'), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const bound = bind(parsed.value, { principal });
  if (!bound.ok) throw new Error(JSON.stringify(bound.problems));
  return { ...bound.value, sinceMs: durationMs(since) };
}

interface Case {
  name: string;
  root: string;
  principal: string;
  at: Date;
  since: string;
}

/** Each real dataset, for each principal its truth names. */
function realCases(): Case[] {
  if (!existsSync(DATA)) return [];
  return readdirSync(DATA)
    .filter((d) => existsSync(join(DATA, d, 'truth.json')))
    .flatMap((d) => {
      const truth = JSON.parse(readFileSync(join(DATA, d, 'truth.json'), 'utf8')) as {
        cli: { at: string; since: string };
        principals: Record<string, unknown>;
      };
      return Object.keys(truth.principals).map((principal) => ({
        name: `${d}, ${principal}`,
        root: join(DATA, d, 'logs'),
        principal,
        at: new Date(truth.cli.at),
        since: truth.cli.since,
      }));
    });
}

const generated = (): Case => {
  const root = join(tmpdir(), 'jit-org-trail-test-20000');
  ensureOrgTrail({ root, records: 20_000, days: 7, seed: 7 });
  return {
    name: 'generated org trail',
    root: join(root, 'AWSLogs'),
    principal: REQUESTER,
    at: TRAIL_END,
    since: '7d',
  };
};

async function report(c: Case, threads: number): Promise<RunbookResult> {
  const skipped: string[] = [];
  const source = filesSource({
    root: c.root,
    threads,
    readerEntry: entry,
    onSkip: (file, reason) => skipped.push(`${file}: ${reason}`),
  });
  const result = await runRunbook(defaultRunbook(c.principal, c.since), source, c.at);
  expect(skipped).toEqual([]);
  return result;
}

describe.each([...realCases(), generated()])('$name', (c) => {
  let one: RunbookResult;
  beforeAll(async () => {
    one = await report(c, 1);
  });

  test.each([2, 4])('%i threads give the report one thread gives', async (threads) => {
    expect(await report(c, threads)).toEqual(one);
  });

  if (c.name === 'generated org trail')
    test('the trail has more groups than a top shows, and files enough for every thread', () => {
      expect(one.results.some((r) => (r.total?.rows ?? 0) > r.rows.length)).toBe(true);
      expect(readdirSync(c.root, { recursive: true }).length).toBeGreaterThan(100);
    });
});

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const record = (minute: number): CloudTrailRecord => ({
  eventVersion: '1.08',
  eventTime: `2026-03-11T09:${String(minute).padStart(2, '0')}:00Z`,
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  awsRegion: 'eu-west-1',
  userIdentity: { type: 'IAMUser', arn: ALICE },
});

async function read(root: string, threads: number, readerEntry = entry) {
  const skipped: string[] = [];
  const source = filesSource({
    root,
    threads,
    readerEntry,
    onSkip: (file, reason) => skipped.push(`${file.slice(root.length + 1)}: ${reason}`),
  });
  const out: string[] = [];
  for await (const r of source.events({
    from: new Date('2026-03-11T00:00:00Z'),
    to: new Date('2026-03-12T00:00:00Z'),
    principal: parsePrincipal(ALICE),
  }))
    out.push(r.eventTime);
  return { out, skipped };
}

test('a file a thread cannot read is skipped with the reason one thread gives, naming it', async () => {
  const root = await mkdtemp(join(tmpdir(), 'jit-threads-'));
  await mkdir(join(root, 'logs'));
  const whole = gzipSync(JSON.stringify({ Records: [record(0)] }));
  for (let i = 0; i < 40; i++)
    await writeFile(
      join(root, 'logs', `f${String(i).padStart(2, '0')}.json.gz`),
      i === 7
        ? 'not gzip'
        : i === 20
          ? whole.subarray(0, whole.length - 6)
          : gzipSync(JSON.stringify({ Records: [record(i)] })),
    );
  const one = await read(root, 1);
  expect(one.skipped).toEqual([
    expect.stringMatching(/^logs\/f07\.json\.gz: incorrect header check$/),
    expect.stringMatching(/^logs\/f20\.json\.gz: unexpected end of file$/),
  ]);
  expect(one.out).toHaveLength(38);
  expect(await read(root, 3)).toEqual(one);
});

test('a reader thread that cannot start fails the run with the reason, not a skipped file', async () => {
  const root = await mkdtemp(join(tmpdir(), 'jit-threads-'));
  for (let i = 0; i < 4; i++)
    await writeFile(join(root, `f${i}.json.gz`), gzipSync(JSON.stringify({ Records: [] })));
  const broken = join(await mkdtemp(join(tmpdir(), 'jit-reader-')), 'broken.mjs');
  await writeFile(broken, 'throw new Error("no reader here");\n');
  await expect(read(root, 2, pathToFileURL(broken))).rejects.toThrow(
    'a file reader thread failed: no reader here',
  );
});
