import { lstat, mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { initFiles, nextSteps, type Backend, type InitFile } from '../../init/files.js';
import { command, oneOf, runnable, type Values } from '../args.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

/** A yes/no question to the person at the terminal; undefined when nobody can answer. */
export type Ask = (question: string) => Promise<boolean>;

const spec = command({
  name: 'init',
  synopsis: '',
  description:
    'Writes a new access repository into --dir: the request, grant, revoke, doctor and audit workflows using this release of the actions by reference, a commented jit.config.yaml, .github/CODEOWNERS, requests/README.md and the requester runbook. An existing file is replaced only with --force or when you say so at the terminal; otherwise nothing is written and the files are listed (exit 1).',
  options: {
    org: { type: 'string', value: 'ORG', help: 'the GitHub organisation (required)' },
    repo: { type: 'string', value: 'NAME', default: 'access', help: 'the access repository' },
    backend: {
      type: 'string',
      value: 'iam|identity-center',
      default: 'iam',
      help: 'how grants are made in the first account',
    },
    'default-branch': {
      type: 'string',
      value: 'BRANCH',
      default: 'main',
      help: "the access repository's default branch",
    },
    dir: { type: 'string', value: 'DIR', default: '.', help: 'where to write the files' },
    'actions-sha': {
      type: 'string',
      value: 'SHA',
      help: 'pin the actions to this full commit instead of the release tag',
    },
    force: { type: 'boolean', help: 'replace existing files without asking' },
    yes: { type: 'boolean', help: 'never ask: refuse when a file exists (unless --force)' },
  },
  positionals: [0, 0],
});

/**
 * `jit init`: writes a new access repository (workflows pinned to this release, a commented
 * config, CODEOWNERS, the request format, the requester runbook) into --dir. An existing file is
 * replaced only with --force or when the person at the terminal says so; otherwise nothing is
 * written and the files are listed.
 */
export function initCommand(
  args: string[],
  io: CliIo,
  ask: Ask | undefined = terminalAsk(),
): Promise<number> {
  return runnable(spec, ({ values }, cliIo) => init(values, cliIo, ask))(args, io);
}

async function init(values: Values<typeof spec.options>, io: CliIo, ask: Ask | undefined) {
  const backend = oneOf('backend', values.backend, ['iam', 'identity-center'] as const);
  if (values.org === undefined) throw new UsageError('name the organisation with --org ORG');
  const options = {
    backend: backend satisfies Backend,
    org: values.org,
    repo: values.repo,
    defaultBranch: values['default-branch'],
    ...(values['actions-sha'] === undefined ? {} : { actionsSha: values['actions-sha'] }),
  };
  const files = initFiles(options);
  if (!files.ok) throw new UsageError(files.problems.map((p) => p.message).join('; '));

  const root = resolve(io.cwd, values.dir);
  const shown = relative(io.cwd, root).split('\\').join('/') || '.';
  if (!(await isDirectoryOrAbsent(root))) {
    io.stderr(`jit init: ${shown} is not a directory; nothing was written\n`);
    return EXIT.invalid;
  }
  const { existing, directories } = await existingFiles(root, files.value);
  if (directories.length > 0) {
    io.stderr(
      `jit init: these are directories in ${shown}, where files go; nothing was written:\n` +
        directories.map((f) => `  ${f}\n`).join(''),
    );
    return EXIT.invalid;
  }
  let replace = new Set<string>();
  if (existing.length > 0) {
    if (values.force) replace = new Set(existing);
    else if (ask && !values.yes) replace = await confirmEach(existing, ask);
    else {
      io.stderr(
        `jit init: these files already exist in ${shown}; nothing was written:\n` +
          existing.map((f) => `  ${f}\n`).join('') +
          'Run again with --force to replace them, or init into another --dir.\n',
      );
      return EXIT.invalid;
    }
  }

  const written: string[] = [];
  const kept: string[] = [];
  for (const file of files.value) {
    const path = join(root, file.path);
    if (existing.includes(file.path) && !replace.has(file.path)) {
      kept.push(file.path);
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    // Unlinked first: replacing through a symbolic link would write wherever it points.
    if (replace.has(file.path)) await unlink(path);
    // 'wx': a file that appeared since the check is never overwritten.
    await writeFile(path, file.content, { flag: 'wx' });
    written.push(file.path);
  }
  io.stdout(
    `Wrote ${written.length} files to ${shown}:\n` +
      written.map((f) => `  ${f}\n`).join('') +
      (kept.length > 0 ? `Kept as they were:\n${kept.map((f) => `  ${f}\n`).join('')}` : '') +
      '\n' +
      nextSteps(options, shown),
  );
  return EXIT.ok;
}

/** The generated paths already present under root: files or links, and directories. */
async function existingFiles(
  root: string,
  files: InitFile[],
): Promise<{ existing: string[]; directories: string[] }> {
  const existing: string[] = [];
  const directories: string[] = [];
  for (const file of files) {
    try {
      const entry = await lstat(join(root, file.path));
      (entry.isDirectory() ? directories : existing).push(file.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return { existing, directories };
}

async function isDirectoryOrAbsent(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

async function confirmEach(paths: string[], ask: Ask): Promise<Set<string>> {
  const yes = new Set<string>();
  for (const path of paths) if (await ask(`${path} exists. Replace it? [y/N] `)) yes.add(path);
  return yes;
}

/** Questions on the terminal, only when both stdin and stdout are one (never in CI). */
function terminalAsk(): Ask | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  };
}
