import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { readFileSync } from 'node:fs';
import { checkRepository, hasErrors, repositoryUnreadable } from '../../doctor/checks.js';
import { fetchSnapshot } from '../../doctor/fetch.js';
import { identityCenterFindings } from '../../doctor/identity-center.js';
import {
  appJwt,
  installationFindings,
  readInstallation,
  type AppCredentials,
} from '../../doctor/installation.js';
import { createGitHubClient } from '../../github/client.js';
import { terminalSafe } from '../../report/plan-text.js';
import { renderDoctorJson, renderDoctorText, type DoctorReport } from '../../doctor/render.js';
import { CONFIG_OPTION, command, JSON_OPTION, runnable, type Values } from '../args.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { CONFIG_FILE, loadConfig } from '../load.js';
import { humanLine } from '../../report/annotations.js';

const spec = command({
  name: 'doctor',
  synopsis: '',
  description:
    "Reads the access repository's settings and reports each one that would let a grant through unreviewed, with the token in GITHUB_TOKEN. Exit 0 without errors, 1 with.",
  options: {
    repo: {
      type: 'string',
      value: 'OWNER/NAME',
      help: 'the access repository (default: GITHUB_REPOSITORY)',
    },
    'api-url': {
      type: 'string',
      value: 'URL',
      help: 'the GitHub API (default: GITHUB_API_URL, else https://api.github.com)',
    },
    json: JSON_OPTION,
    'app-id': {
      type: 'string',
      value: 'ID',
      help: "check the App's installation too (or JIT_APP_ID), with --app-key",
    },
    'app-key': {
      type: 'string',
      value: 'FILE',
      help: "the App's private key (or JIT_APP_PRIVATE_KEY)",
    },
    aws: {
      type: 'boolean',
      help: "check the config's identityCenter block against AWS, with your own AWS credentials",
    },
    config: { ...CONFIG_OPTION, help: `${CONFIG_OPTION.help}; read only with --aws` },
  },
  positionals: [0, 0],
});

interface DoctorOptions {
  owner: string;
  repo: string;
  apiUrl: string;
  token: string;
  json: boolean;
  /** When given, the App's installation permissions are checked too. */
  app?: AppCredentials;
  /** `--aws`: the config's Identity Center block is checked against AWS. */
  aws: boolean;
  /** The config's `--config` path; found from the working directory when absent. */
  awsConfig?: string;
}

/**
 * `jit doctor`: reads the access repository's settings and reports each one that would let a
 * grant through unreviewed. Exit 0 without errors, 1 with, 2 on bad usage.
 */
export const doctorCommand = runnable(spec, async ({ values }, io) => {
  const options = doctorOptions(values, io.env);
  // 404 and 403 are expected answers here; Octokit would log each as an error.
  const log = {
    debug: () => {},
    info: () => {},
    warn: (m: string) => io.stderr(`${terminalSafe(m)}\n`),
    error: () => {},
  };
  const client = (auth: string) =>
    createGitHubClient({ baseUrl: options.apiUrl, auth, userAgent: 'jit-doctor', log });
  const ref = { owner: options.owner, repo: options.repo };
  const fetched = await fetchSnapshot(client(options.token), ref);
  const report: DoctorReport = fetched.ok
    ? { repository: fetched.snapshot.repository, findings: checkRepository(fetched.snapshot) }
    : {
        repository: `${options.owner}/${options.repo}`,
        findings: [repositoryUnreadable(fetched.message)],
      };
  if (options.app) {
    const installation = await readInstallation(client(appJwt(options.app)), ref);
    report.findings.push(...installationFindings(installation, report.repository));
  }
  if (options.aws) {
    const loaded = await loadConfig(io, options.awsConfig);
    if (!loaded.ok) {
      // Every problem of the config at once, each with its field and line (as jit validate shows them).
      for (const p of loaded.problems)
        io.stderr(humanLine({ ...p, file: p.file ?? options.awsConfig ?? CONFIG_FILE }) + '\n');
      return EXIT.invalid;
    }
    const ic = loaded.value.config.identityCenter;
    if (ic) {
      report.findings.push(
        ...(await identityCenterFindings(loaded.value.config, {
          ssoAdmin: new SSOAdminClient({ region: ic.region }),
          identityStore: new IdentitystoreClient({ region: ic.region }),
        })),
      );
    }
  }
  report.findings = [
    ...report.findings.filter((f) => f.severity === 'error'),
    ...report.findings.filter((f) => f.severity === 'warning'),
  ];
  io.stdout(options.json ? renderDoctorJson(report) : renderDoctorText(report));
  return hasErrors(report.findings) ? EXIT.invalid : EXIT.ok;
});

/** The options with the environment's fallbacks, or a UsageError saying what is missing. */
function doctorOptions(values: Values<typeof spec.options>, env: CliIo['env']): DoctorOptions {
  const full = values.repo ?? env.GITHUB_REPOSITORY;
  if (!full)
    throw new UsageError('name the repository with --repo OWNER/NAME (or set GITHUB_REPOSITORY)');
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(full);
  if (!match?.[1] || !match[2]) throw new UsageError(`--repo must be OWNER/NAME, not "${full}"`);
  const token = env.GITHUB_TOKEN;
  if (!token)
    throw new UsageError('set GITHUB_TOKEN to a token that can read the repository settings');
  const apiUrl = values['api-url'] ?? env.GITHUB_API_URL ?? 'https://api.github.com';
  if (!URL.canParse(apiUrl)) throw new UsageError(`--api-url must be a URL, not "${apiUrl}"`);
  const app = appCredentials(values['app-id'] ?? env.JIT_APP_ID, values['app-key'], env);
  if (typeof app === 'string') throw new UsageError(app);
  if (values.config !== undefined && !values.aws)
    throw new UsageError('--config is read only with --aws');
  return {
    owner: match[1],
    repo: match[2],
    apiUrl,
    token,
    json: values.json,
    app,
    aws: values.aws,
    ...(values.config === undefined ? {} : { awsConfig: values.config }),
  };
}

/** Both of the App's id and key, or neither; the key from a file or JIT_APP_PRIVATE_KEY. */
function appCredentials(
  appId: string | undefined,
  keyFile: string | undefined,
  env: CliIo['env'],
): AppCredentials | undefined | string {
  let privateKey = env.JIT_APP_PRIVATE_KEY;
  if (keyFile) {
    try {
      privateKey = readFileSync(keyFile, 'utf8');
    } catch (e) {
      return `cannot read --app-key ${keyFile}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  if (!appId && !privateKey) return undefined;
  if (!appId || !privateKey)
    return 'give both the App id (--app-id or JIT_APP_ID) and its private key (--app-key FILE or JIT_APP_PRIVATE_KEY)';
  return { appId, privateKey };
}
