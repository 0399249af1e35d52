import { parseArgs } from 'node:util';
import type { Problem } from '../../problem.js';
import { planRequest } from '../../plan/plan.js';
import { verdictInWords } from '../../plan/verdict-words.js';
import { annotation, humanLine } from '../../report/annotations.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { loadConfig, readText } from '../load.js';
import { parseNow } from './now.js';

interface FileVerdict {
  file: string;
  valid: boolean;
  /** How it would be granted, when valid. */
  backend?: string;
  /** Risk and the approvals it waits for, in words, when valid. */
  verdict?: string;
  problems: Problem[];
}

/** `jit validate [--config PATH] [--json] FILE...`: every request checked against the config. */
export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string', default: 'jit.config.yaml' },
      json: { type: 'boolean', default: false },
      at: { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('name at least one request file');
  const now = parseNow(values.at);

  const config = await loadConfig(io, values.config);
  const verdicts: FileVerdict[] = [];
  if (!config.ok) {
    verdicts.push({ file: values.config, valid: false, problems: config.problems });
  } else {
    for (const path of positionals) {
      const read = await readText(io, path);
      if (!read.ok) {
        verdicts.push({ file: path, valid: false, problems: read.problems });
        continue;
      }
      const { file, text } = read.value;
      const plan = planRequest({ text, file, config: config.value, now });
      verdicts.push(
        plan.ok
          ? {
              file,
              valid: true,
              backend: plan.value.resolved.grantee.backend,
              verdict: verdictInWords(plan.value),
              problems: plan.value.warnings,
            }
          : { file, valid: false, problems: plan.problems },
      );
    }
  }

  const allValid = verdicts.every((v) => v.valid);
  if (values.json) {
    io.stdout(JSON.stringify({ valid: allValid, files: verdicts }, null, 2) + '\n');
  } else {
    for (const v of verdicts) {
      io.stdout(
        `${v.valid ? 'ok     ' : 'invalid'} ${v.file}${v.backend && v.backend !== 'iam' ? ` (granted through ${v.backend})` : ''}\n`,
      );
      if (v.verdict) io.stdout(`  ${v.verdict}\n`);
      for (const p of v.problems) io.stdout(`  ${humanLine(p)}\n`);
    }
  }
  if (io.env.GITHUB_ACTIONS === 'true') {
    for (const p of verdicts.flatMap((v) => v.problems)) io.stdout(annotation(p) + '\n');
  }
  return allValid ? EXIT.ok : EXIT.invalid;
}
