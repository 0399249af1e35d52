import { parseArgs } from 'node:util';
import { editDistance, nearest } from '../text/nearest.js';
import { EXIT, UsageError, type CliIo } from './io.js';

/**
 * One option of a command. Its declaration is both what the parser accepts and what `--help`
 * prints, so the two cannot drift.
 */
export type OptionSpec =
  | { type: 'boolean'; short?: string; help: string }
  | {
      type: 'string';
      /** The value's placeholder in help and errors, e.g. PATH. */
      value: string;
      short?: string;
      multiple?: boolean;
      default?: string;
      help: string;
    };

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  name: string;
  /** The arguments after the options in the usage line, e.g. `FILE...`; empty for none. */
  synopsis: string;
  /** A paragraph under the usage line: what the command does and its exit codes. */
  description: string;
  options: O;
  /** How many positional arguments it takes; `[0, 0]` when none. */
  positionals: readonly [min: number, max: number];
  /** What the positionals are, for the error when there are too few or too many. */
  positionalsHint?: string;
}

/** The parsed values, typed from the declaration. */
export type Values<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: O[K] extends { type: 'boolean' }
    ? boolean
    : O[K] extends { multiple: true }
      ? string[]
      : O[K] extends { default: string }
        ? string
        : string | undefined;
};

export interface Parsed<O extends Record<string, OptionSpec>> {
  values: Values<O>;
  positionals: string[];
}

/** Declares a command; the identity function, there so `O` is inferred from the literal. */
export const command = <O extends Record<string, OptionSpec>>(spec: CommandSpec<O>) => spec;

const HELP: OptionSpec = { type: 'boolean', short: 'h', help: "this command's help" };

/**
 * The command line by the spec, or `'help'` when `--help`/`-h` is anywhere before `--`. Every
 * mistake is a UsageError naming the option and what was expected; no other error escapes.
 */
export function parseCommand<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  args: string[],
): Parsed<O> | 'help' {
  const options: Record<string, OptionSpec> = { ...spec.options, help: HELP };
  // Non-strict parsing never throws: each token is judged here, with messages of our own.
  const { tokens } = parseArgs({
    args,
    options: parserOptions(options),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  // Help wins over every other mistake on the line: it is what someone lost asks for.
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return 'help';
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    // The parser has already mapped a known short flag to its long name.
    const name = token.name;
    const option = Object.hasOwn(options, name) ? options[name] : undefined;
    if (option === undefined) throw unknownOption(token.rawName, options);
    if (option.type === 'boolean') {
      if (token.value !== undefined)
        throw new UsageError(`${token.rawName} takes no value (got "${token.value}")`);
      values[name] = true;
      continue;
    }
    // `--config --json` is a forgotten value, not a file named --json.
    if (!token.value || (!token.inlineValue && token.value.startsWith('-')))
      throw new UsageError(
        `${token.rawName} needs a value: ${token.rawName} ${option.value}` +
          (!token.value ? '' : ` (write ${token.rawName}=${token.value} if you mean it)`),
      );
    if (option.multiple) values[name] = [...((values[name] as string[]) ?? []), token.value];
    else if (values[name] !== undefined) throw new UsageError(`${token.rawName} given twice`);
    else values[name] = token.value;
  }
  for (const [name, option] of Object.entries(spec.options)) {
    if (values[name] !== undefined) continue;
    if (option.type === 'boolean') values[name] = false;
    else if (option.multiple) values[name] = [];
    else if (option.default !== undefined) values[name] = option.default;
  }
  const [min, max] = spec.positionals;
  if (positionals.length > max)
    throw new UsageError(
      max === 0
        ? `unexpected argument "${positionals[0]}": this command takes no files`
        : `too many arguments (${positionals.length}): ${spec.positionalsHint ?? spec.synopsis}`,
    );
  if (positionals.length < min) throw new UsageError(spec.positionalsHint ?? spec.synopsis);
  return { values: values as Values<O>, positionals };
}

function parserOptions(options: Record<string, OptionSpec>) {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}) },
    ]),
  );
}

/**
 * The name someone probably meant: the nearest, when at least half of what they typed survives.
 * Command lines are short words, where "xml" is two edits from "md" yet no typo of it.
 */
export function didYouMean(typed: string, candidates: readonly string[]): string | undefined {
  const guess = nearest(typed, candidates);
  return guess !== undefined &&
    editDistance(typed.toLowerCase(), guess.toLowerCase()) <= typed.length / 2
    ? guess
    : undefined;
}

function unknownOption(raw: string, options: Record<string, OptionSpec>): UsageError {
  const bare = raw.replace(/^-+/, '');
  const guess = didYouMean(bare, Object.keys(options));
  return new UsageError(
    `unknown option ${raw}${guess === undefined ? '' : ` (did you mean --${guess}?)`}`,
  );
}

/** `jit NAME --help`: usage, description and the option table, from the declaration. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries({ ...spec.options, help: HELP }).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value}` : ''}`;
    const extra =
      o.type === 'string'
        ? `${o.multiple ? ' (repeatable)' : ''}${o.default !== undefined ? ` (default: ${o.default})` : ''}`
        : '';
    return [flag, o.help + extra] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const table = rows
    .map(([flag, help]) => `  ${flag.padEnd(width)}${wrap(help, WIDTH - width - 2, width + 2)}`)
    .join('\n');
  const synopsis = spec.synopsis ? ` ${spec.synopsis}` : '';
  return `usage: jit ${spec.name} [options]${synopsis}\n\n${wrap(spec.description, WIDTH, 0)}\n\nOptions:\n${table}\n`;
}

const WIDTH = 80;

/** Words filled to `width` columns, the lines after the first indented by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > Math.max(width, 20)) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/*
 * Typed readers for option values: each returns the value or throws a UsageError that names the
 * option and says what it wants, so every command words the same mistake the same way.
 */

export function oneOf<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  const guess = didYouMean(value, choices);
  throw new UsageError(
    `--${option} is ${alternatives(choices)}, not "${value}"${guess ? ` (did you mean ${guess}?)` : ''}`,
  );
}

/** `md, json or csv`. */
const alternatives = (choices: readonly string[]): string =>
  choices.length < 2 ? choices.join('') : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;

export function positiveInteger(option: string, value: string, what: string): number {
  const n = Number(value);
  if (/^\d+$/.test(value) && Number.isSafeInteger(n) && n > 0) return n;
  throw new UsageError(`--${option} wants ${what}, not "${value}"`);
}

export function matching(option: string, value: string, pattern: RegExp, what: string): string {
  if (pattern.test(value)) return value;
  throw new UsageError(`--${option} wants ${what}, not "${value}"`);
}

/** The shared `--config` option: found by walking up from the working directory when absent. */
export const CONFIG_OPTION = {
  type: 'string',
  value: 'PATH',
  help: 'organisation config (default: the nearest jit.config.yaml in this directory or above)',
} as const;

export const JSON_OPTION = { type: 'boolean', help: 'machine-readable output' } as const;

export const AT_OPTION = {
  type: 'string',
  value: 'TIME',
  help: 'act as if it were TIME, a UTC time like 2026-11-25T09:00:00Z',
} as const;

/** A command as main runs it: the raw arguments in, an exit code out. */
export type Command = (args: string[], io: CliIo) => Promise<number>;

/**
 * Ties a declaration to its body: `--help` is answered here, the body gets typed values, and a
 * UsageError from either is one line naming the mistake and where to read more, exit 2. Any
 * other error is a bug and escapes with its stack.
 */
export function runnable<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  body: (parsed: Parsed<O>, io: CliIo) => Promise<number>,
): Command {
  return async (args, io) => {
    try {
      const parsed = parseCommand(spec, args);
      if (parsed === 'help') {
        io.stdout(helpText(spec));
        return EXIT.ok;
      }
      return await body(parsed, io);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      io.stderr(`jit ${spec.name}: ${e.message}\nsee jit ${spec.name} --help\n`);
      return EXIT.usage;
    }
  };
}
