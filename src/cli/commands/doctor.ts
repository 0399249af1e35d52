import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
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
import { EXIT, type CliIo } from '../io.js';
import { loadConfig } from '../load.js';

const USAGE =
  'usage: jit doctor [--repo OWNER/NAME] [--api-url URL] [--json] [--app-id ID --app-key FILE]\n' +
  '                  [--aws [--config PATH]]\n' +
  '  (token from GITHUB_TOKEN; the App from --app-id/--app-key or JIT_APP_ID/JIT_APP_PRIVATE_KEY;\n' +
  "  --aws: the config's identityCenter block against AWS, with your own AWS credentials)\n";

interface DoctorOptions {
  owner: string;
  repo: string;
  apiUrl: string;
  token: string;
  json: boolean;
  /** When given, the App's installation permissions are checked too. */
  app?: AppCredentials;
  /** With `--aws`: the config whose Identity Center block is checked against AWS. */
  awsConfig?: string;
}

/**
 * `jit doctor`: reads the access repository's settings and reports each one that would let a
 * grant through unreviewed. Exit 0 without errors, 1 with, 2 on bad usage.
 */
export async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(args, io.env);
  if (typeof options === 'string') {
    io.stderr(`jit doctor: ${options}\n${USAGE}`);
    return EXIT.usage;
  }
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
  if (options.awsConfig !== undefined) {
    const config = await loadConfig(io, options.awsConfig);
    if (!config.ok) {
      for (const p of config.problems)
        io.stderr(`${p.file ?? options.awsConfig}:${p.line ?? 1}: ${p.message}\n`);
      return EXIT.invalid;
    }
    const ic = config.value.identityCenter;
    if (ic) {
      report.findings.push(
        ...(await identityCenterFindings(config.value, {
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
}

/** The options, or what is wrong with them: a usage error is a value here, not a throw. */
function parseOptions(args: string[], env: CliIo['env']): DoctorOptions | string {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        repo: { type: 'string' },
        'api-url': { type: 'string' },
        json: { type: 'boolean', default: false },
        'app-id': { type: 'string' },
        'app-key': { type: 'string' },
        aws: { type: 'boolean', default: false },
        config: { type: 'string' },
      },
    }));
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const full = values.repo ?? env.GITHUB_REPOSITORY;
  if (!full) return 'name the repository with --repo OWNER/NAME (or set GITHUB_REPOSITORY)';
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(full);
  if (!match?.[1] || !match[2]) return `--repo must be OWNER/NAME, not "${full}"`;
  const token = env.GITHUB_TOKEN;
  if (!token) return 'set GITHUB_TOKEN to a token that can read the repository settings';
  const apiUrl = values['api-url'] ?? env.GITHUB_API_URL ?? 'https://api.github.com';
  if (!URL.canParse(apiUrl)) return `--api-url must be a URL, not "${apiUrl}"`;
  const app = appCredentials(values['app-id'] ?? env.JIT_APP_ID, values['app-key'], env);
  if (typeof app === 'string') return app;
  if (values.config !== undefined && !values.aws) return '--config is read only with --aws';
  return {
    owner: match[1],
    repo: match[2],
    apiUrl,
    token,
    json: values.json,
    app,
    ...(values.aws ? { awsConfig: values.config ?? 'jit.config.yaml' } : {}),
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
