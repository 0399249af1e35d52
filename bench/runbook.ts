/**
 * Throughput of the `files` source, of the whole default runbook and of a runbook holding only
 * its "services" query, against a bare gunzip + JSON.parse loop over the same files and against
 * jq running that same "services" query, measured in one run (it writes a few hundred MB to
 * /tmp):
 *
 *   npx tsc -p bench/tsconfig.json && JIT_BENCH_RECORDS=1000000 node lib/bench/runbook.js
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { runRunbook } from '../src/runbook/engine.js';
import { bind, parseRunbook } from '../src/runbook/parse.js';
import { filesSource } from '../src/runbook/sources/files.js';
import { allRecords } from '../test/runbook/reference.js';
import { ALICE, NOW } from '../test/fixtures/cloudtrail/dataset.js';

const TOTAL = Number(process.env.JIT_BENCH_RECORDS ?? 200_000);
/** CloudTrail files hold a few hundred records; so do these. */
const PER_FILE = 500;

/** The fixture's records, repeated with fresh ids and spread over the 30 days, as S3 lays them out. */
function generate(root: string, total: number): number {
  // The fixture as committed, read from the repository (run from its root), not from lib/.
  const base = allRecords(join(process.cwd(), 'test/fixtures/cloudtrail'));
  const from = NOW.getTime() - 30 * 86_400_000;
  let bytes = 0;
  for (let file = 0; file * PER_FILE < total; file++) {
    const ms = from + Math.floor(((file * PER_FILE) / total) * 30 * 86_400_000);
    const day = new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
    const dir = join(root, 'AWSLogs/123456789012/CloudTrail/eu-west-1', day);
    mkdirSync(dir, { recursive: true });
    const records = Array.from({ length: Math.min(PER_FILE, total - file * PER_FILE) }, (_, i) => {
      const r = base[(file * PER_FILE + i) % base.length]!;
      return {
        ...r,
        eventTime: new Date(ms + i * 1000).toISOString().replace('.000', ''),
        eventID: `${file}-${i}`,
      };
    });
    const body = gzipSync(JSON.stringify({ Records: records }));
    bytes += body.length;
    writeFileSync(join(dir, `f${file}.json.gz`), body);
  }
  return bytes;
}

const files = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

async function time<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e9, value];
}

async function measure(total: number) {
  const root = mkdtempSync(join(tmpdir(), 'jit-bench-'));
  try {
    const gz = generate(root, total);
    const list = files(root);
    const [parse, parsed] = await time(() => {
      let n = 0;
      for (const f of list)
        n += (JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as { Records: unknown[] })
          .Records.length;
      return n;
    });
    const query = { from: new Date(NOW.getTime() - 31 * 86_400_000), to: NOW, principalArn: ALICE };
    const [source, yielded] = await time(async () => {
      let n = 0;
      for await (const batch of filesSource({ root }).batches!(query)) n += batch.length;
      return n;
    });
    const definition = parseRunbook(readFileSync('runbooks/requester-context.yaml', 'utf8'));
    if (!definition.ok) throw new Error('runbook');
    const bound = bind(definition.value, {
      principal: ALICE,
      requested_actions: ['logs:GetLogEvents'],
    });
    if (!bound.ok) throw new Error('bind');
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    const [engine] = await time(() => runRunbook(bound.value, filesSource({ root }), NOW));
    clearInterval(sampler);
    // The one query jq runs below, alone: the like-for-like comparison with jq.
    const servicesOnly = {
      ...bound.value,
      queries: bound.value.queries.filter((q) => q.id === 'services'),
    };
    const [services] = await time(() => runRunbook(servicesOnly, filesSource({ root }), NOW));
    let jq: number | undefined;
    try {
      const filter = `.Records[] | select(.userIdentity.arn=="${ALICE}") | .eventSource`;
      [jq] = await time(() =>
        execFileSync(
          'sh',
          [
            '-c',
            `find ${root} -name '*.json.gz' -exec zcat {} + | jq -r '${filter}' | sort | uniq -c | wc -l`,
          ],
          { maxBuffer: 1 << 30 },
        ),
      );
    } catch {
      jq = undefined; // jq is not installed
    }
    return {
      total: parsed,
      gzMB: gz / 1e6,
      parse,
      source,
      yielded,
      engine,
      services,
      jq,
      peakHeapMB: (peak - heapBefore) / 1e6,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const lines: string[] = [];
for (const total of [TOTAL / 10, TOTAL]) {
  const m = await measure(total);
  const rate = (s: number) => `${Math.round(m.total / s).toLocaleString('en')} rec/s`;
  lines.push(
    `${m.total.toLocaleString('en')} records (${m.gzMB.toFixed(1)} MB gzipped, ${m.yielded.toLocaleString('en')} the requester's):`,
    `  gunzip+JSON.parse ${m.parse.toFixed(2)} s (${rate(m.parse)}): the baseline`,
    `  files source      ${m.source.toFixed(2)} s (${rate(m.source)}) = ${(m.parse / m.source).toFixed(2)}× the baseline's speed`,
    `  default runbook   ${m.engine.toFixed(2)} s (${rate(m.engine)}) = ${(m.parse / m.engine).toFixed(2)}× the baseline's speed, heap growth ≤ ${m.peakHeapMB.toFixed(0)} MB`,
    `  services query    ${m.services.toFixed(2)} s (${rate(m.services)}) = ${(m.parse / m.services).toFixed(2)}× the baseline's speed (the runbook engine, only the query jq runs)`,
    m.jq === undefined
      ? '  jq                not installed'
      : `  jq (services)     ${m.jq.toFixed(2)} s (${rate(m.jq)}): the services query is ${(m.jq / m.services).toFixed(1)}× faster, the whole runbook ${(m.jq / m.engine).toFixed(1)}×`,
  );
}
console.log(lines.join('\n'));
