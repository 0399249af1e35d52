import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { humanLine } from '../../report/annotations.js';
import { renderRunbookReport } from '../../report/runbook.js';
import type { EventSource } from '../../runbook/event.js';
import { runRunbook } from '../../runbook/engine.js';
import type { ParameterValues } from '../../runbook/model.js';
import { bind, durationMs, parseRunbook } from '../../runbook/parse.js';
import { ssoUserPrincipal } from '../../runbook/principal.js';
import type { AthenaEventSource } from '../../runbook/sources/athena.js';
import { filesSource, type FilesProgress } from '../../runbook/sources/files.js';
import {
  AT_OPTION,
  CONFIG_OPTION,
  command,
  matching,
  oneOf,
  positiveInteger,
  runnable,
} from '../args.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { loadConfig, readText } from '../load.js';
import { parseNow } from './now.js';

/**
 * The runbooks shipped with jit-access (the package's `runbooks/`), used when the repository has
 * none of that name. Found by walking up from this module, which sits at a different depth when
 * run from `src/` (tests) and from the compiled `lib/src/`.
 */
function embedded(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++, dir = dirname(dir)) {
    const file = resolve(dir, 'runbooks', `${name}.yaml`);
    if (existsSync(file)) return file;
  }
  return `runbooks/${name}.yaml`;
}

const spec = command({
  name: 'runbook',
  synopsis: '',
  description:
    'Runs a CloudTrail runbook over what a principal has been doing: by default the requester-context report reviewers see. Exit 1 when the runbook or the source cannot be read.',
  options: {
    runbook: {
      type: 'string',
      value: 'NAME|PATH',
      default: 'requester-context',
      help: 'a runbook in ./runbooks or shipped with jit, or a file',
    },
    source: {
      type: 'string',
      value: 'SOURCE',
      help: 'files:DIR (CloudTrail log files), lookup-events or athena:DB.TABLE (required)',
    },
    principal: { type: 'string', value: 'ARN', help: 'the IAM user or role to report on' },
    'sso-user': {
      type: 'string',
      value: 'NAME',
      help: 'or an Identity Center user: their sessions of every permission set',
    },
    account: { type: 'string', value: 'ALIAS', help: 'the account, as the config names it' },
    since: {
      type: 'string',
      value: 'AGE',
      help: "how far back, like 30d or 12h (the runbook's own otherwise)",
    },
    format: { type: 'string', value: 'md|json', default: 'md', help: 'the report format' },
    param: { type: 'string', value: 'NAME=VALUE', multiple: true, help: 'a runbook parameter' },
    region: { type: 'string', value: 'REGION', multiple: true, help: 'a region to read' },
    config: CONFIG_OPTION,
    at: AT_OPTION,
    threads: {
      type: 'string',
      value: 'N',
      help: 'threads reading log files (files: only); 1, the default, reads them on the main one',
    },
    workgroup: { type: 'string', value: 'NAME', help: 'the Athena workgroup (athena: only)' },
    output: {
      type: 'string',
      value: 'S3URL',
      help: 'the Athena results location, s3://… (athena: only)',
    },
  },
  positionals: [0, 0],
});

/**
 * `jit runbook [--runbook NAME|PATH] --source files:DIR|lookup-events|athena:DB.TABLE
 * --principal ARN|--sso-user NAME [--account ALIAS] [--since 30d] [--format md|json]`: what the
 * principal has been doing. `--sso-user` is an IAM Identity Center user name: their sessions of
 * every permission set's role, in every account the source holds, the name in any case. Athena takes `--workgroup NAME` and `--output s3://…` (results location).
 * Exit 0 on a report, 1 when the runbook or the source cannot be read, 2 on a usage error.
 */
export const runbookCommand = runnable(spec, async ({ values }, io) => {
  if (!values.source)
    throw new UsageError('--source is required: files:DIR, lookup-events or athena:DB.TABLE');
  const principal = principalOf(values.principal, values['sso-user']);
  const format = oneOf('format', values.format, ['md', 'json'] as const);
  if (values.since !== undefined)
    matching('since', values.since, /^[1-9]\d{0,3}[dh]$/, 'days or hours like 30d or 12h');
  const now = parseNow(values.at);

  const read = await readText(io, runbookPath(io, values.runbook));
  if (!read.ok) return report(io, read.problems);
  const definition = parseRunbook(read.value.text, read.value.file);
  if (!definition.ok) return report(io, definition.problems);
  const supplied = parameters(values.param, definition.value.parameters);
  supplied.principal = principal;
  if (values.account !== undefined && definition.value.parameters.some((p) => p.name === 'account'))
    supplied.account = values.account;
  const runbook = bind(definition.value, supplied);
  if (!runbook.ok) return report(io, runbook.problems);
  if (values.since !== undefined) runbook.value.sinceMs = durationMs(values.since);

  const source = await sourceFor(io, values.source, values);
  if (typeof source === 'string') {
    io.stderr(`jit runbook: ${source}\n`);
    return EXIT.invalid;
  }
  let result;
  try {
    result =
      'runRunbook' in source
        ? await source.runRunbook(runbook.value, now, values.region)
        : await runRunbook(runbook.value, source, now, values.region);
  } catch (e) {
    io.stderr(`jit runbook: reading ${source.name} failed: ${(e as Error).message}\n`);
    return EXIT.invalid;
  }
  io.stdout(
    format === 'json'
      ? JSON.stringify(result, null, 2) + '\n'
      : renderRunbookReport(result, { principal, source: source.name }),
  );
  return EXIT.ok;
});

/** The runbook's `principal`: the ARN, or an Identity Center user's `sso-user:` form. */
function principalOf(arn: string | undefined, ssoUser: string | undefined): string {
  if (arn !== undefined && ssoUser !== undefined)
    throw new UsageError('give --principal ARN or --sso-user NAME, not both');
  if (ssoUser !== undefined) {
    if (ssoUser.trim() === '')
      throw new UsageError('--sso-user wants an Identity Center user name');
    return ssoUserPrincipal(ssoUser);
  }
  if (!arn) throw new UsageError('--principal ARN (or --sso-user NAME) is required');
  return arn;
}

/** A name is looked up in ./runbooks, then among the embedded ones; anything else is a path. */
function runbookPath(io: CliIo, name: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return name;
  const local = resolve(io.cwd, 'runbooks', `${name}.yaml`);
  return existsSync(local) ? local : embedded(name);
}

/** `--param name=value`; list parameters take comma-separated values. */
function parameters(
  pairs: string[],
  specs: { name: string; type: 'string' | 'list' }[],
): ParameterValues {
  const out: ParameterValues = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--param wants name=value, not "${pair}"`);
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const list = specs.find((s) => s.name === name)?.type === 'list';
    out[name] = list
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : value;
  }
  return out;
}

async function sourceFor(
  io: CliIo,
  spec: string,
  values: {
    region: string[];
    account?: string;
    config?: string;
    threads?: string;
    workgroup?: string;
    output?: string;
  },
): Promise<EventSource | AthenaEventSource | string> {
  if (spec.startsWith('files:')) {
    const root = resolve(io.cwd, spec.slice('files:'.length));
    if (!existsSync(root)) return `no such file or directory: ${spec.slice('files:'.length)}`;
    return filesSource({
      root,
      ...(values.threads !== undefined
        ? { threads: positiveInteger('threads', values.threads, 'a number of threads, like 2') }
        : {}),
      onSkip: (file, reason) => io.stderr(`jit runbook: skipped ${file}: ${reason}\n`),
      ...(process.stderr.isTTY ? { onProgress: progressBar(io) } : {}),
    });
  }
  if (spec === 'lookup-events') {
    const regions = values.region.length > 0 ? values.region : await accountRegions(io, values);
    if (typeof regions === 'string') return regions;
    const endpoint = io.env.AWS_ENDPOINT_URL_CLOUDTRAIL ?? io.env.AWS_ENDPOINT_URL;
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = io.env;
    const credentials =
      accessKeyId && secretAccessKey
        ? { credentials: { accessKeyId, secretAccessKey, sessionToken: io.env.AWS_SESSION_TOKEN } }
        : {};
    // The AWS SDK is loaded by the sources that call AWS, not by every runbook run.
    const [{ CloudTrailClient }, { lookupEventsSource }] = await Promise.all([
      import('@aws-sdk/client-cloudtrail'),
      import('../../runbook/sources/lookup-events.js'),
    ]);
    return lookupEventsSource({
      regions,
      client: (region) =>
        new CloudTrailClient({ region, ...credentials, ...(endpoint ? { endpoint } : {}) }),
    });
  }
  if (spec.startsWith('athena:')) {
    const table = spec.slice('athena:'.length);
    if (!/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/.test(table))
      throw new UsageError(`--source athena:DATABASE.TABLE, not "${spec}"`);
    if (values.output !== undefined && !/^s3:\/\/[^/]+/.test(values.output))
      throw new UsageError(`--output is an s3:// location, not "${values.output}"`);
    const endpoint = io.env.AWS_ENDPOINT_URL_ATHENA ?? io.env.AWS_ENDPOINT_URL;
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = io.env;
    const region = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const [{ AthenaClient }, { athenaSource }] = await Promise.all([
      import('@aws-sdk/client-athena'),
      import('../../runbook/sources/athena.js'),
    ]);
    return athenaSource({
      client: new AthenaClient({
        region,
        ...(accessKeyId && secretAccessKey
          ? {
              credentials: { accessKeyId, secretAccessKey, sessionToken: io.env.AWS_SESSION_TOKEN },
            }
          : {}),
        ...(endpoint ? { endpoint } : {}),
      }),
      table,
      ...(values.workgroup ? { workGroup: values.workgroup } : {}),
      ...(values.output ? { outputLocation: values.output } : {}),
    });
  }
  throw new UsageError(`--source is files:DIR, lookup-events or athena:DB.TABLE, not "${spec}"`);
}

/** Regions of `--account` from the config, or the environment's region. */
async function accountRegions(
  io: CliIo,
  values: { account?: string; config?: string },
): Promise<string[] | string> {
  if (values.account === undefined) return [io.env.AWS_REGION ?? 'us-east-1'];
  const loaded = await loadConfig(io, values.config);
  if (!loaded.ok) return loaded.problems.map(humanLine).join('\n');
  const { config, file } = loaded.value;
  const account = Object.hasOwn(config.accounts, values.account)
    ? config.accounts[values.account]
    : undefined;
  return account ? account.regions : `account "${values.account}" is not in ${file}`;
}

function report(io: CliIo, problems: Parameters<typeof humanLine>[0][]): number {
  for (const p of problems) io.stderr(humanLine(p) + '\n');
  return EXIT.invalid;
}

/** One line redrawn in place, at most ten times a second. */
function progressBar(io: CliIo): (p: FilesProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    const done = p.files === p.totalFiles;
    if (!done && now - last < 100) return;
    last = now;
    const width = 24;
    const filled = p.totalFiles ? Math.round((p.files / p.totalFiles) * width) : width;
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
    const mb = (p.bytes / 1e6).toFixed(1);
    io.stderr(`\r[${bar}] ${p.files}/${p.totalFiles} files, ${mb} MB, ${p.records} records`);
    if (done) io.stderr('\n');
  };
}
