import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The runner killed the job at its `timeoutMs`, as `timeout-minutes` does. */
  timedOut: boolean;
}

/**
 * Runs a built `actions/<name>/dist/index.js` the way a runner does: a child process with the
 * event in `GITHUB_EVENT_PATH`, inputs as `INPUT_*` variables and the output and summary files.
 */
export async function runAction(
  name: 'request' | 'grant' | 'revoke',
  opts: {
    event: unknown;
    eventName: string;
    repository: string;
    apiUrl: string;
    inputs: Record<string, string>;
    workspace: string;
    env?: Record<string, string>;
    /** What the runner's clock reads when the action starts (the emulators' time). */
    now?: Date;
    /** Kill the job after this long, as the runner does at the job's `timeout-minutes`. */
    timeoutMs?: number;
  },
): Promise<ActionRun> {
  const dir = await mkdtemp(join(tmpdir(), `jit-runner-${name}-`));
  const eventPath = join(dir, 'event.json');
  const outputPath = join(dir, 'output');
  const summaryPath = join(dir, 'summary.md');
  await writeFile(eventPath, JSON.stringify(opts.event));
  await writeFile(outputPath, '');
  await writeFile(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: opts.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: opts.repository,
    GITHUB_API_URL: opts.apiUrl,
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: dir,
    // Retry waits in milliseconds and no write pacing against the emulator (src/github/client.ts).
    JIT_GITHUB_TEST_TIMING: 'fast',
    ...Object.fromEntries(
      Object.entries(opts.inputs).map(([k, v]) => [
        `INPUT_${k.replace(/ /g, '_').toUpperCase()}`,
        v,
      ]),
    ),
    ...opts.env,
  };
  const script = resolve('actions', name, 'dist', 'index.js');
  const clock = opts.now
    ? ['--import', pathToFileURL(resolve('test/actions/fake-time.mjs')).href]
    : [];
  if (opts.now) env.JIT_FAKE_NOW = opts.now.toISOString();
  const child = spawn(process.execPath, [...clock, script], { cwd: opts.workspace, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let timedOut = false;
  const timer =
    opts.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  return {
    timedOut,
    code,
    stdout,
    stderr,
    outputs: parseOutputs(await readFile(outputPath, 'utf8')),
    summary: await readFile(summaryPath, 'utf8'),
  };
}

/** `GITHUB_OUTPUT` uses heredoc blocks: `name<<DELIM\nvalue\nDELIM`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}
