import { dirname, join } from 'node:path';
import { fail, ok, type Problem, type Result } from '../../problem.js';
import { extendsProblems } from '../../plan/extends-check.js';
import { checkRequestTargets, sortByLine, type Plan } from '../../plan/plan.js';
import { parseRequestDocument } from '../../request/parse-request.js';
import { verdictInWords } from '../../plan/verdict-words.js';
import { annotation, humanLine } from '../../report/annotations.js';
import { AT_OPTION, CONFIG_OPTION, command, JSON_OPTION, runnable } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { CONFIG_FILE, loadConfig, readText } from '../load.js';
import { parseNow } from './now.js';

interface FileVerdict {
  file: string;
  valid: boolean;
  /** How it would be granted, when valid. */
  backend?: string;
  /** Risk and the approvals it waits for, in words, when valid. */
  verdict?: string;
  /** Each account and how it is granted there, when the file names several (decision 027). */
  accounts?: { account: string; backend: string }[];
  problems: Problem[];
}

const spec = command({
  name: 'validate',
  synopsis: 'FILE...',
  description:
    'Checks each request file against the config: exit 0 when all are valid, 1 when any is not.',
  options: { config: CONFIG_OPTION, json: JSON_OPTION, at: AT_OPTION },
  positionals: [1, Infinity],
  positionalsHint: 'name at least one request file',
});

/** `jit validate [--config PATH] [--json] FILE...`: every request checked against the config. */
export const validateCommand = runnable(spec, async ({ values, positionals }, io) => {
  const now = parseNow(values.at);

  const config = await loadConfig(io, values.config);
  const verdicts: FileVerdict[] = [];
  if (!config.ok) {
    const file = config.problems[0]?.file ?? values.config ?? CONFIG_FILE;
    verdicts.push({ file, valid: false, problems: config.problems });
  } else {
    for (const path of positionals) {
      const read = await readText(io, path);
      if (!read.ok) {
        verdicts.push({ file: path, valid: false, problems: read.problems });
        continue;
      }
      const { file, text } = read.value;
      const planned = checkRequestTargets({ text, file, config: config.value.config, now });
      const plan = planned.ok
        ? await withExtended(io, path, text, planned.value.targets[0]!)
        : planned;
      const targets = planned.ok ? planned.value.targets : [];
      verdicts.push(
        plan.ok
          ? {
              file,
              valid: true,
              backend: plan.value.resolved.grantee.backend,
              verdict: verdictInWords(plan.value),
              ...(targets.length > 1
                ? {
                    accounts: targets.map((t) => ({
                      account: t.resolved.account.alias,
                      backend: t.resolved.grantee.backend,
                    })),
                  }
                : {}),
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
      const through = v.accounts
        ? ''
        : v.backend && v.backend !== 'iam'
          ? ` (granted through ${v.backend})`
          : '';
      io.stdout(`${v.valid ? 'ok     ' : 'invalid'} ${v.file}${through}\n`);
      if (v.accounts)
        io.stdout(
          `  ${v.accounts.length} accounts, each granted on its own: ${v.accounts.map((a) => `${a.account} (${a.backend})`).join(', ')}\n`,
        );
      if (v.verdict) io.stdout(`  ${v.verdict}\n`);
      for (const p of v.problems) io.stdout(`  ${humanLine(p)}\n`);
    }
  }
  if (io.env.GITHUB_ACTIONS === 'true') {
    for (const p of verdicts.flatMap((v) => v.problems)) io.stdout(annotation(p) + '\n');
  }
  return allValid ? EXIT.ok : EXIT.invalid;
});

/** An extension's named request must be in this checkout, next to the file (decision 025). */
async function withExtended(
  io: CliIo,
  path: string,
  text: string,
  plan: Plan,
): Promise<Result<Plan>> {
  const id = plan.request.extends;
  if (id === undefined) return ok(plan);
  const named = await readText(io, join(dirname(path), `${id}.yaml`));
  const problems = extendsProblems(plan, {
    text: named.ok ? named.value.text : undefined,
    where: 'this checkout',
  });
  if (problems.length === 0) return ok(plan);
  const doc = parseRequestDocument(text, plan.file);
  return fail(
    sortByLine([...(doc.ok ? problems.map(doc.value.locate) : problems), ...plan.warnings]),
  );
}
