import { REQUEST_FILE, TEMPLATE_FILE } from '../../demo/scenario.js';
import { runDemo, type DemoInput } from '../../demo/run.js';
import { fail, ok, type Result } from '../../problem.js';
import { humanLine } from '../../report/annotations.js';
import { parseConfig } from '../../request/parse-config.js';
import { CONFIG_OPTION, command, JSON_OPTION, runnable } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { findConfig, readText } from '../load.js';

type DemoFiles = Omit<DemoInput, 'print'>;

const spec = command({
  name: 'demo',
  synopsis: '',
  description:
    'Runs the shipped example through request, approval, grant, expiry and revoke, then an extension and break-glass with its retro review, on local AWS and GitHub emulators, narrated. Exit 1 if anything did not happen as it should.',
  options: { config: CONFIG_OPTION, json: JSON_OPTION },
  positionals: [0, 0],
});

/**
 * `jit demo [--config PATH] [--json]`: request, approval, grant through OIDC, expiry and revoke
 * with a usage report, then an extension and break-glass, on local AWS and GitHub emulators,
 * narrated. Exit 1 if anything did not happen as it should: the demo is also a smoke test of the
 * whole product.
 */
export const demoCommand = runnable(spec, async ({ values }, io) => {
  const inputs = await readInputs(io, values.config);
  if (!inputs.ok) {
    for (const p of inputs.problems) io.stderr(humanLine(p) + '\n');
    return EXIT.invalid;
  }
  const narrator = await runDemo({ ...inputs.value, ...(values.json ? {} : { print: io.stdout }) });
  const { total, failed } = narrator.checks;
  if (values.json) {
    io.stdout(
      JSON.stringify(
        { ok: narrator.ok, checks: { total, failed }, steps: narrator.steps },
        null,
        2,
      ) + '\n',
    );
  } else {
    io.stdout(
      narrator.ok
        ? `\n✔ all ${total} expectations held\n`
        : `\n✘ ${failed} of ${total} expectations failed\n`,
    );
  }
  return narrator.ok ? EXIT.ok : EXIT.invalid;
});

/** The organisation's config, the example request and the deploy template, from the repository. */
async function readInputs(io: CliIo, explicit: string | undefined): Promise<Result<DemoFiles>> {
  const configPath = findConfig(io, explicit);
  if (!configPath.ok) return configPath;
  const [config, request, template] = await Promise.all([
    readText(io, configPath.value),
    readText(io, REQUEST_FILE),
    readText(io, TEMPLATE_FILE),
  ]);
  if (!config.ok || !request.ok || !template.ok)
    return fail([config, request, template].flatMap((r) => (r.ok ? [] : r.problems)));
  const parsed = parseConfig(config.value.text, config.value.file);
  if (!parsed.ok) return parsed;
  return ok({
    config: parsed.value,
    configText: config.value.text,
    requestText: request.value.text,
    templateText: template.value.text,
  });
}
