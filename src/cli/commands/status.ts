import { IAMClient } from '@aws-sdk/client-iam';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { messageOf } from '../../aws/errors.js';
import type { Account } from '../../domain.js';
import { terminalSafe } from '../../report/plan-text.js';
import { formatDuration } from '../../request/duration.js';
import { AT_OPTION, CONFIG_OPTION, command, JSON_OPTION, runnable } from '../args.js';
import { EXIT } from '../io.js';
import {
  iamGrants,
  identityCenterGrants,
  type LiveGrant,
  type LiveGrants,
  type Unreadable,
} from '../live-grants.js';
import { loadConfig } from '../load.js';
import { parseNow } from './now.js';

const spec = command({
  name: 'status',
  synopsis: '',
  description:
    'Lists every jit-access grant still in place and its time left, read with your own AWS credentials. Exit 1 when something could not be read.',
  options: {
    config: CONFIG_OPTION,
    account: { type: 'string', value: 'ALIAS', help: 'only this account, as the config names it' },
    json: JSON_OPTION,
    at: AT_OPTION,
  },
  positionals: [0, 0],
});

/**
 * `jit status [--account ALIAS] [--json]`: every jit-access grant still in place, with the time
 * it has left, read with the operator's own AWS credentials (the SDK's usual chain), as
 * `jit revoke` does. IAM grants are read in the account those credentials are for (others are
 * reported unread, not empty); Identity Center grants in the instance, when the config has one.
 * Exit 0 when everything could be read, 1 when something could not.
 */
export const statusCommand = runnable(spec, async ({ values }, io) => {
  const now = parseNow(values.at);
  const loaded = await loadConfig(io, values.config);
  if (!loaded.ok) {
    for (const p of loaded.problems)
      io.stderr(`${p.file ?? values.config}:${p.line ?? 1}: ${p.message}\n`);
    return EXIT.invalid;
  }
  const { config, file: configFile } = loaded.value;
  const all = Object.values(config.accounts);
  const selected = values.account ? all.filter((a) => a.alias === values.account) : all;
  if (values.account && selected.length === 0) {
    io.stderr(`jit status: no account "${terminalSafe(values.account)}" in ${configFile}\n`);
    return EXIT.invalid;
  }
  const read: LiveGrants = { grants: [], unreadable: [] };
  const add = (r: LiveGrants) => {
    read.grants.push(...r.grants);
    read.unreadable.push(...r.unreadable);
  };
  const region = io.env.AWS_REGION ?? 'us-east-1';

  const iamAccounts = selected.filter((a) => (a.backend ?? 'iam') === 'iam');
  if (iamAccounts.length > 0) add(await readIam(iamAccounts, region));

  const ic = config.identityCenter;
  const icAccounts = selected.filter((a) => a.backend === 'identity-center');
  // Without --account, the whole instance: a grant for an account since removed still shows.
  if (ic && (!values.account || icAccounts.length > 0)) {
    const byId = new Map(all.map((a) => [a.id, a]));
    const only = values.account ? new Set(icAccounts.map((a) => a.id)) : undefined;
    add(await identityCenterGrants(new SSOAdminClient({ region: ic.region }), ic, byId, only));
  }

  read.grants.sort((a, b) => (a.expiry?.getTime() ?? Infinity) - (b.expiry?.getTime() ?? Infinity));
  io.stdout(values.json ? renderJson(read, now) : renderText(read, now));
  for (const u of read.unreadable)
    io.stderr(`jit status: could not read ${terminalSafe(u.scope)}: ${terminalSafe(u.error)}\n`);
  return read.unreadable.length > 0 ? EXIT.invalid : EXIT.ok;
});

/**
 * `/jit/` policies of the accounts the credentials are for. One set of credentials reads one
 * account; listing with them "for" another would show that account's grants under the wrong
 * name, so every other account is reported unread with what to do instead.
 */
async function readIam(accounts: Account[], region: string): Promise<LiveGrants> {
  let callerAccount: string;
  try {
    callerAccount =
      (await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account ?? '';
  } catch (e) {
    return {
      grants: [],
      unreadable: accounts.map((a) => ({ scope: `${a.alias} (IAM)`, error: messageOf(e) })),
    };
  }
  const out: LiveGrants = { grants: [], unreadable: [] };
  const iam = new IAMClient({ region });
  for (const account of accounts) {
    if (account.id !== callerAccount) {
      out.unreadable.push({
        scope: `${account.alias} (IAM)`,
        error: `your AWS credentials are for account ${callerAccount || '?'}, not ${account.id}: run again with credentials for ${account.id} and --account ${account.alias}`,
      });
      continue;
    }
    const r = await iamGrants(iam, account);
    out.grants.push(...r.grants);
    out.unreadable.push(...r.unreadable);
  }
  return out;
}

/** `1h30m left`, `expired 5m ago (the next sweep removes it)`, or `no expiry tag`. */
function timeLeft(g: LiveGrant, now: Date): string {
  if (!g.expiry) return 'no jit:expiry tag: left for a human';
  const minutes = Math.round((g.expiry.getTime() - now.getTime()) / 60_000);
  if (g.expiry.getTime() > now.getTime()) return `${formatDuration(Math.max(1, minutes))} left`;
  return `expired ${formatDuration(-minutes)} ago: the next revoke run removes it`;
}

const iso = (d: Date | undefined) => d?.toISOString().replace(/\.\d{3}Z$/, 'Z');

function renderText({ grants }: LiveGrants, now: Date): string {
  if (grants.length === 0) return 'no live grants\n';
  const safe = (s: string) => terminalSafe(s).replace(/\r?\n/g, ' ⏎ ');
  const lines = grants.flatMap((g) => [
    `${safe(g.request ?? '(no jit:request tag)')}${g.pr ? ` (PR #${g.pr})` : ''}: ${timeLeft(g, now)}`,
    `  ${g.backend} in ${safe(g.account)} (${g.accountId}), for ${safe(g.principal ?? '?')}`,
    `  ${safe(g.arn)}${g.assignments === undefined ? '' : `, ${g.assignments} assignment(s)`}`,
    `  window ${iso(g.start) ?? '?'} .. ${iso(g.expiry) ?? '?'}`,
  ]);
  const live = grants.filter((g) => g.expiry && g.expiry.getTime() > now.getTime()).length;
  return `${lines.join('\n')}\n\n${live} live, ${grants.length - live} awaiting removal\n`;
}

function renderJson({ grants, unreadable }: LiveGrants, now: Date): string {
  const out = {
    now: iso(now),
    grants: grants.map((g) => ({
      backend: g.backend,
      account: g.account,
      accountId: g.accountId,
      request: g.request ?? null,
      pr: g.pr ?? null,
      principal: g.principal ?? null,
      arn: g.arn,
      start: iso(g.start) ?? null,
      expiry: iso(g.expiry) ?? null,
      secondsLeft: g.expiry
        ? Math.max(0, Math.floor((g.expiry.getTime() - now.getTime()) / 1000))
        : null,
      expired: g.expiry ? g.expiry.getTime() <= now.getTime() : null,
      ...(g.assignments === undefined ? {} : { assignments: g.assignments }),
    })),
    unreadable: unreadable satisfies Unreadable[],
  };
  return JSON.stringify(out, null, 2) + '\n';
}
