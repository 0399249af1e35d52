import { runnable, command } from '../../src/cli/args.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const COMMANDS = ['demo', 'validate', 'plan', 'runbook', 'status', 'revoke', 'audit', 'doctor'];

function io(): CliIo & { out: { stdout: string; stderr: string } } {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    stdout: (s) => (out.stdout += s),
    stderr: (s) => (out.stderr += s),
    env: {},
    cwd: process.cwd(),
  };
}

async function jit(...args: string[]) {
  const cli = io();
  const code = await main(args, cli);
  return { code, ...cli.out };
}

describe('--help on every command', () => {
  test.each(COMMANDS)('jit %s --help prints its usage and options, exit 0', async (name) => {
    for (const flag of ['--help', '-h']) {
      const r = await jit(name, flag);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^usage: jit ${name} \\[options\\]`));
      expect(r.stdout).toMatch(/^Options:$/m);
      expect(r.stdout).toMatch(/^ {2}-h, --help +this command's help$/m);
    }
  });

  test("validate's help names each option it takes, with its value", async () => {
    const r = await jit('validate', '--help');
    expect(r.stdout).toMatch(/^usage: jit validate \[options\] FILE\.\.\.$/m);
    expect(r.stdout).toMatch(/^ {6}--config PATH +organisation config \(default: the nearest/m);
    expect(r.stdout).toMatch(/^ {6}--json +machine-readable output$/m);
    expect(r.stdout).toMatch(/^ {6}--at TIME +/m);
  });

  test('help wins over the other mistakes on the line', async () => {
    const r = await jit('validate', '--bogus', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: jit validate/);
  });

  test('jit --help lists every command and says where the options are', async () => {
    const r = await jit('--help');
    expect(r.code).toBe(0);
    for (const name of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^ {2}jit ${name} +\\S`, 'm'));
    expect(r.stdout).toContain('jit COMMAND --help');
  });
});

describe('usage mistakes: one line naming the option and what was expected, exit 2', () => {
  test.each([
    [
      'an unknown option, with the nearest one',
      ['validate', '--confg', 'jit.config.yaml', 'x.yaml'],
      'jit validate: unknown option --confg (did you mean --config?)',
    ],
    [
      'an unknown option nothing is near',
      ['validate', '--zzzzzzzz', 'x.yaml'],
      'jit validate: unknown option --zzzzzzzz',
    ],
    ['an unknown short option', ['plan', '-x', 'x.yaml'], 'jit plan: unknown option -x'],
    [
      'a missing value at the end',
      ['validate', 'x.yaml', '--config'],
      'jit validate: --config needs a value: --config PATH',
    ],
    [
      'an empty value',
      ['validate', '--config=', 'x.yaml'],
      'jit validate: --config needs a value: --config PATH',
    ],
    [
      'a value forgotten before the next option',
      ['validate', '--config', '--json', 'x.yaml'],
      'jit validate: --config needs a value: --config PATH (write --config=--json if you mean it)',
    ],
    [
      'a value given to a flag',
      ['validate', '--json=yes', 'x.yaml'],
      'jit validate: --json takes no value (got "yes")',
    ],
    [
      'an option given twice',
      ['plan', '--pr', '1', '--pr', '2', 'x.yaml'],
      'jit plan: --pr given twice',
    ],
    ['no file', ['validate'], 'jit validate: name at least one request file'],
    [
      'two files to plan',
      ['plan', 'a.yaml', 'b.yaml'],
      'jit plan: too many arguments (2): name exactly one request file',
    ],
    [
      'a file to a command that takes none',
      ['status', 'x.yaml'],
      'jit status: unexpected argument "x.yaml": this command takes no files',
    ],
    [
      'a bad --pr',
      ['plan', '--pr', '0', 'x.yaml'],
      'jit plan: --pr wants a pull request number, not "0"',
    ],
    [
      'a bad --at',
      ['validate', '--at', 'yesterday', 'x.yaml'],
      'jit validate: --at wants a UTC time like 2026-11-25T09:00:00Z, not "yesterday"',
    ],
    [
      'a bad --since',
      [
        'runbook',
        '--source',
        'files:x',
        '--principal',
        'arn:aws:iam::123456789012:user/a',
        '--since',
        '3x',
      ],
      'jit runbook: --since wants days or hours like 30d or 12h, not "3x"',
    ],
    [
      'a bad --format',
      [
        'runbook',
        '--source',
        'files:x',
        '--principal',
        'arn:aws:iam::123456789012:user/a',
        '--format',
        'xml',
      ],
      'jit runbook: --format is md or json, not "xml"',
    ],
    [
      'a --format near a right one',
      [
        'runbook',
        '--source',
        'files:x',
        '--principal',
        'arn:aws:iam::123456789012:user/a',
        '--format',
        'jsno',
      ],
      'jit runbook: --format is md or json, not "jsno" (did you mean json?)',
    ],
    [
      'a bad --request',
      ['revoke', '--account', 'prod', '--request', 'X'],
      'jit revoke: --request wants a request id such as octocat-logs, not "X"',
    ],
  ])('%s', async (_, args, message) => {
    const r = await jit(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message}\nsee jit ${args[0]} --help\n`);
  });

  test('an unknown command, with the nearest one', async () => {
    const r = await jit('valdate', 'x.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'jit: unknown command "valdate" (did you mean validate?)\nsee jit --help\n',
    );
  });

  test('an unknown command nothing is near', async () => {
    const r = await jit('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('jit: unknown command "frobnicate"\nsee jit --help\n');
  });
});

test('a bug is not a usage error: it escapes with its stack', async () => {
  const spec = command({
    name: 'x',
    synopsis: '',
    description: '',
    options: {},
    positionals: [0, 0],
  });
  const broken = runnable(spec, async () => {
    throw new TypeError('undefined is not a function');
  });
  await expect(broken([], io())).rejects.toThrow(TypeError);
});
