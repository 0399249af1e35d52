import { didYouMean, type Command } from './args.js';
import { EXIT, type CliIo } from './io.js';

/**
 * Every command: its one line for `jit --help`, and its module. A command's options and usage
 * are declared in its module (src/cli/args.ts) and printed by `jit NAME --help`.
 *
 * Each is loaded when it runs: `jit validate` should not pay for the AWS SDK, Octokit or the
 * runbook engine, and the demo's emulators need devDependencies that a production-only install
 * of validate and plan does not have.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  init: {
    summary:
      'scaffold a new access repository (workflows pinned to this release, config, CODEOWNERS)',
    load: async () => (await import('./commands/init.js')).initCommand,
  },
  demo: {
    summary: 'the whole grant lifecycle on local emulators',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
  validate: {
    summary: 'check request files (exit 1 if any is invalid)',
    load: async () => (await import('./commands/validate.js')).validateCommand,
  },
  plan: {
    summary: 'show exactly what a request would grant',
    load: async () => (await import('./commands/plan.js')).planCommand,
  },
  runbook: {
    summary: "the requester's CloudTrail activity report",
    load: async () => (await import('./commands/runbook.js')).runbookCommand,
  },
  status: {
    summary: 'live grants and their time left, read with your own AWS credentials',
    load: async () => (await import('./commands/status.js')).statusCommand,
  },
  revoke: {
    summary: 'end grants now with your own AWS credentials',
    load: async () => (await import('./commands/revoke.js')).revokeCommand,
  },
  audit: {
    summary: 'every request of a period, from the decision log',
    load: async () => (await import('./commands/audit.js')).auditCommand,
  },
  doctor: {
    summary: "check the access repository's settings",
    load: async () => (await import('./commands/doctor.js')).doctorCommand,
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  const lines = Object.entries(COMMANDS).map(
    ([name, c]) => `  jit ${name.padEnd(width)}${c.summary}`,
  );
  return `jit: just-in-time AWS access through pull requests

Usage:
${lines.join('\n')}

Run jit COMMAND --help for a command's options. The config is --config PATH, or the nearest
jit.config.yaml in the working directory or above it.
`;
}

/**
 * Exit 0 when done, 1 when the input is invalid, 2 on a usage mistake: one line naming what is
 * wrong and where to read more. Anything else is a bug, and escapes with its stack.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const guess = didYouMean(name, Object.keys(COMMANDS));
    io.stderr(
      `jit: unknown command "${name}"${guess ? ` (did you mean ${guess}?)` : ''}\nsee jit --help\n`,
    );
    return EXIT.usage;
  }
  return (await entry.load())(rest, io);
}
