import { EXIT, UsageError, type CliIo } from './io.js';

const HELP = `jit: just-in-time AWS access through pull requests

Usage:
  jit demo [--config PATH] [--json]               the whole grant lifecycle on local emulators
  jit validate [--config PATH] [--json] FILE...   check request files (exit 1 if any is invalid)
  jit plan [--config PATH] [--json] [--pr N] [--at TIME] FILE
                                                   show exactly what a request would grant
  jit runbook [--runbook NAME|PATH] --source files:DIR|lookup-events
              (--principal ARN | --sso-user NAME)
              [--account ALIAS] [--since 30d] [--format md|json]
                                                   the requester's CloudTrail activity report
  jit status [--account ALIAS] [--json] [--at TIME]
                                                   live grants of both backends and their time
                                                   left, read with your own AWS credentials
  jit revoke --account ALIAS [--request ID | --all] [--json]
                                                   end grants now with your own AWS credentials
                                                   (--all: every jit-access grant in the account)
  jit audit [--since 30d|DATE] [--until DATE] [--format md|json|csv] [--repo OWNER/NAME]
                                                   every request of a period from the decision
                                                   log (token from GITHUB_TOKEN)
  jit doctor [--repo OWNER/NAME] [--api-url URL] [--json]
                                                   check the access repository's settings
                                                   (token from GITHUB_TOKEN)

Options:
  --config PATH   organisation config (default: jit.config.yaml)
  --json          machine-readable output
  -h, --help      this help
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

// Each command is loaded when it runs: `jit validate` should not pay for the AWS SDK, Octokit
// or the runbook engine, and the demo's emulators need devDependencies that a production-only
// install of validate and plan does not have.
const COMMANDS: Record<string, Command> = {
  validate: async (args, io) => (await import('./commands/validate.js')).validateCommand(args, io),
  plan: async (args, io) => (await import('./commands/plan.js')).planCommand(args, io),
  runbook: async (args, io) => (await import('./commands/runbook.js')).runbookCommand(args, io),
  revoke: async (args, io) => (await import('./commands/revoke.js')).revokeCommand(args, io),
  status: async (args, io) => (await import('./commands/status.js')).statusCommand(args, io),
  audit: async (args, io) => (await import('./commands/audit.js')).auditCommand(args, io),
  doctor: async (args, io) => (await import('./commands/doctor.js')).doctorCommand(args, io),
  demo: async (args, io) => (await import('./commands/demo.js')).demoCommand(args, io),
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`jit: unknown command "${name}"\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`jit ${name}: ${e.message}\n`);
      return EXIT.usage;
    }
    // node:util parseArgs rejects unknown or malformed options with an ERR_PARSE_ARGS_* code.
    if (isParseArgsError(e)) {
      io.stderr(`jit ${name}: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

const isParseArgsError = (e: unknown): e is Error =>
  typeof e === 'object' &&
  e !== null &&
  'code' in e &&
  String(e.code).startsWith('ERR_PARSE_ARGS') &&
  'message' in e;
