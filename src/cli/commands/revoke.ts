import { IAMClient } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { JitConfig } from '../../domain.js';
import { sweepGrants, type RevokeDecision } from '../../revoke/sweep.js';
import { terminalSafe } from '../../report/plan-text.js';
import { AT_OPTION, CONFIG_OPTION, command, JSON_OPTION, matching, runnable } from '../args.js';
import { EXIT, UsageError } from '../io.js';
import { loadConfig } from '../load.js';
import { parseNow } from './now.js';

const REQUEST_ID = /^[a-z0-9][a-z0-9-]{2,63}$/;

const spec = command({
  name: 'revoke',
  synopsis: '',
  description:
    'Ends grants now, with your own AWS credentials: those of one request, every expired one, or with --all every jit-access grant in the account. Exit 1 when something could not be removed.',
  options: {
    config: CONFIG_OPTION,
    account: {
      type: 'string',
      value: 'ALIAS',
      help: 'the account, as the config names it (required)',
    },
    request: { type: 'string', value: 'ID', help: "end this request's grant now" },
    all: {
      type: 'boolean',
      help: 'end every jit-access grant in the account (incident kill switch)',
    },
    json: JSON_OPTION,
    at: AT_OPTION,
  },
  positionals: [0, 0],
});

/**
 * `jit revoke --account ALIAS [--request ID | --all]`: the sweep from a terminal, with the
 * caller's own AWS credentials (the SDK's usual chain). It only ever removes access, so it needs
 * no approval: it is the way to end grants when GitHub is unreachable, and `--all` is the kill
 * switch for an incident. PRs are not told; the output says what was done.
 */
export const revokeCommand = runnable(spec, async ({ values }, io) => {
  if (!values.account)
    throw new UsageError('--account ALIAS is required: one account per run, with its credentials');
  if (values.all && values.request) throw new UsageError('--all and --request exclude each other');
  if (values.request !== undefined)
    matching('request', values.request, REQUEST_ID, 'a request id such as octocat-logs');
  const now = parseNow(values.at);
  const loaded = await loadConfig(io, values.config);
  if (!loaded.ok) {
    for (const p of loaded.problems)
      io.stderr(`${p.file ?? values.config}:${p.line ?? 1}: ${p.message}\n`);
    return EXIT.invalid;
  }
  const { config: jitConfig, file: configFile } = loaded.value;
  const account = Object.hasOwn(jitConfig.accounts, values.account)
    ? jitConfig.accounts[values.account]
    : undefined;
  if (!account) {
    io.stderr(`jit revoke: no account "${terminalSafe(values.account)}" in ${configFile}\n`);
    return EXIT.invalid;
  }
  const only: JitConfig = { ...jitConfig, accounts: { [account.alias]: account } };
  const iam = new IAMClient({ region: io.env.AWS_REGION ?? 'us-east-1' });
  // An identity-center account's grants live in the instance: the caller's credentials must be
  // for the Identity Center administrator account.
  const ic = account.backend === 'identity-center' ? jitConfig.identityCenter : undefined;
  const decisions = await sweepGrants({
    config: only,
    now,
    iamFor: async () => iam,
    ...(ic
      ? {
          identityCenterFor: async () => ({
            ssoAdmin: new SSOAdminClient({ region: ic.region }),
            identityStore: new IdentitystoreClient({ region: ic.region }),
          }),
          identityCenterScope: 'configured' as const,
        }
      : {}),
    ...(values.all ? { early: { all: true as const } } : {}),
    ...(values.request ? { early: { requestId: values.request } } : {}),
  });
  io.stdout(
    values.json
      ? JSON.stringify(decisions.map(summary), null, 2) + '\n'
      : decisions.map(line).join(''),
  );
  if (decisions.length === 0 && !values.json) io.stdout('nothing to revoke\n');
  if (
    values.request &&
    !decisions.some((d) => d.kind === 'revoked' && d.policy.requestId === values.request)
  ) {
    io.stderr(`jit revoke: no grant for request ${values.request} in ${account.alias}\n`);
    return EXIT.invalid;
  }
  return decisions.some((d) => d.kind === 'failed') ? EXIT.invalid : EXIT.ok;
});

function summary(d: RevokeDecision) {
  return {
    kind: d.kind,
    account: d.account.alias,
    backend: d.kind === 'revoked' ? (d.backend ?? 'iam') : (d.account.backend ?? 'iam'),
    policy: d.policy?.arn ?? null,
    request: d.policy?.requestId ?? null,
    ...(d.kind === 'revoked' ? { reason: d.reason, detached: d.detached } : {}),
    ...(d.kind === 'failed' ? { error: d.error } : {}),
  };
}

function line(d: RevokeDecision): string {
  const what = terminalSafe(d.policy?.arn ?? `${d.account.alias}: listing /jit/ policies`);
  if (d.kind === 'revoked')
    return `revoked  ${what} (${d.reason}; detached from ${d.detached.join(', ') || 'nothing'})\n`;
  if (d.kind === 'failed') return `FAILED   ${what}: ${terminalSafe(d.error)}\n`;
  return `skipped  ${what}: no jit:request/jit:expiry tags, left for a human\n`;
}
