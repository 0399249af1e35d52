import { IAMClient } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { parseArgs } from 'node:util';
import type { JitConfig } from '../../domain.js';
import { sweepGrants, type RevokeDecision } from '../../revoke/sweep.js';
import { terminalSafe } from '../../report/plan-text.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { loadConfig } from '../load.js';
import { parseNow } from './now.js';

/**
 * `jit revoke --account ALIAS [--request ID | --all]`: the sweep from a terminal, with the
 * caller's own AWS credentials (the SDK's usual chain). It only ever removes access, so it needs
 * no approval: it is the way to end grants when GitHub is unreachable, and `--all` is the kill
 * switch for an incident. PRs are not told; the output says what was done.
 */
export async function revokeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string', default: 'jit.config.yaml' },
      account: { type: 'string' },
      request: { type: 'string' },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      at: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.account)
    throw new UsageError('--account ALIAS is required: one account per run, with its credentials');
  if (values.all && values.request) throw new UsageError('--all and --request exclude each other');
  if (values.request !== undefined && !/^[a-z0-9][a-z0-9-]{2,63}$/.test(values.request)) {
    throw new UsageError(
      `--request wants a request id such as octocat-logs, not "${values.request}"`,
    );
  }
  const now = parseNow(values.at);
  const config = await loadConfig(io, values.config);
  if (!config.ok) {
    for (const p of config.problems)
      io.stderr(`${p.file ?? values.config}:${p.line ?? 1}: ${p.message}\n`);
    return EXIT.invalid;
  }
  const account = config.value.accounts[values.account];
  if (!account) {
    io.stderr(`jit revoke: no account "${terminalSafe(values.account)}" in ${values.config}\n`);
    return EXIT.invalid;
  }
  const only: JitConfig = { ...config.value, accounts: { [account.alias]: account } };
  const iam = new IAMClient({ region: io.env.AWS_REGION ?? 'us-east-1' });
  // An identity-center account's grants live in the instance: the caller's credentials must be
  // for the Identity Center administrator account.
  const ic = account.backend === 'identity-center' ? config.value.identityCenter : undefined;
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
}

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
