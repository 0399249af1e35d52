import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAudit, type PrFact } from '../../audit/audit.js';
import { readDecisionLog } from '../../audit/read-log.js';
import { AUDIT_FORMATS, renderAudit, type AuditFormat } from '../../audit/render.js';
import { createGitHubClient } from '../../github/client.js';
import { DECISION_LOG_BRANCH } from '../../record/log.js';
import { terminalSafe } from '../../report/plan-text.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { parseNow } from './now.js';

const USAGE =
  'usage: jit audit [--since 30d|DATE] [--until DATE] [--format md|json|csv] [--repo OWNER/NAME]\n' +
  '                 [--api-url URL] [--log-only] [--out-dir DIR] [--at TIME]\n' +
  '  (token from GITHUB_TOKEN; DATE is 2026-11-01 or 2026-11-01T00:00:00Z, UTC;\n' +
  '  --out-dir also writes audit.md, audit.json and audit.csv there from the same read)\n';

/**
 * `jit audit`: every request decided in a period, from the decision log on the access
 * repository: who asked and why, who approved at which commit, what was granted and when, how it
 * ended and what was used. Exit 0 with a report, 1 when the log cannot be read, 2 on bad usage.
 */
export async function auditCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      since: { type: 'string', default: '30d' },
      until: { type: 'string' },
      format: { type: 'string', default: 'md' },
      repo: { type: 'string' },
      'api-url': { type: 'string' },
      branch: { type: 'string', default: DECISION_LOG_BRANCH },
      'log-only': { type: 'boolean', default: false },
      'out-dir': { type: 'string' },
      at: { type: 'string' },
    },
  });
  const format = values.format as AuditFormat;
  if (!AUDIT_FORMATS.includes(format))
    throw new UsageError(`--format is md, json or csv, not "${values.format}"\n${USAGE}`);
  const now = parseNow(values.at);
  const since = timeOf('--since', values.since, now);
  const until = values.until === undefined ? now : timeOf('--until', values.until, now);
  if (since.getTime() >= until.getTime())
    throw new UsageError(
      `--since (${since.toISOString()}) must be before --until (${until.toISOString()})`,
    );
  const full = values.repo ?? io.env.GITHUB_REPOSITORY;
  if (!full) throw new UsageError(`name the repository with --repo OWNER/NAME\n${USAGE}`);
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(full);
  if (!match?.[1] || !match[2]) throw new UsageError(`--repo must be OWNER/NAME, not "${full}"`);
  const token = io.env.GITHUB_TOKEN;
  if (!token) throw new UsageError('set GITHUB_TOKEN to a token that can read the repository');
  const apiUrl = values['api-url'] ?? io.env.GITHUB_API_URL ?? 'https://api.github.com';
  if (!URL.canParse(apiUrl)) throw new UsageError(`--api-url must be a URL, not "${apiUrl}"`);

  const octokit = createGitHubClient({
    baseUrl: apiUrl,
    auth: token,
    userAgent: 'jit-audit',
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => io.stderr(`${terminalSafe(m)}\n`),
      error: () => {},
    },
  });
  const repo = { owner: match[1], repo: match[2] };
  let snapshot;
  try {
    snapshot = await readDecisionLog(octokit, repo, values.branch);
  } catch (e) {
    io.stderr(`jit audit: reading the decision log failed: ${terminalSafe(messageOf(e))}\n`);
    return EXIT.invalid;
  }
  if (snapshot.missingRules.length > 0)
    io.stderr(
      `jit audit: warning: ${values.branch} is not protected by the rules ${snapshot.missingRules.join(', ')}; its records could have been written by anyone with write access (run jit doctor)\n`,
    );
  const period = { since, until };
  let audit = buildAudit(snapshot.records, period);
  if (!values['log-only']) {
    const facts = await prFacts(
      octokit,
      repo,
      audit.rows.filter((r) => r.requester === undefined).map((r) => r.pr),
    );
    if (facts.size > 0) audit = buildAudit(snapshot.records, period, facts);
  }
  for (const u of audit.unreadable)
    io.stderr(`jit audit: warning: ${terminalSafe(u.path)}: ${terminalSafe(u.why)}\n`);
  const source = {
    repository: `${repo.owner}/${repo.repo}`,
    branch: values.branch,
    ...(snapshot.commit ? { commit: snapshot.commit } : {}),
    records: snapshot.records.length,
    ...(snapshot.missingRules.length ? { unprotected: snapshot.missingRules } : {}),
  };
  // One read of the log for every format: a large log costs one API call per record.
  if (values['out-dir'] !== undefined) {
    const dir = resolve(io.cwd, values['out-dir']);
    await mkdir(dir, { recursive: true });
    for (const f of AUDIT_FORMATS)
      await writeFile(join(dir, `audit.${f}`), renderAudit(f, audit, source));
  }
  io.stdout(renderAudit(format, audit, source));
  return EXIT.ok;
}

/** `30d`, `12h` (back from now), `2026-11-01` or `2026-11-01T00:00:00Z`. */
function timeOf(option: string, text: string, now: Date): Date {
  const relative = /^([1-9]\d{0,3})([dh])$/.exec(text);
  if (relative)
    return new Date(
      now.getTime() - Number(relative[1]) * (relative[2] === 'd' ? 86_400_000 : 3_600_000),
    );
  const absolute = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z)?$/.test(text)
    ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text)
    : undefined;
  if (!absolute || Number.isNaN(absolute.getTime()))
    throw new UsageError(
      `${option} wants 30d, 12h, 2026-11-01 or 2026-11-01T00:00:00Z (UTC), not "${text}"`,
    );
  return absolute;
}

/** Pull request authors, for rows whose record does not say who asked; a PR that cannot be read is left out. */
async function prFacts(
  octokit: ReturnType<typeof createGitHubClient>,
  repo: { owner: string; repo: string },
  prs: number[],
): Promise<Map<number, PrFact>> {
  const facts = new Map<number, PrFact>();
  for (const pr of prs) {
    const author = await octokit.rest.pulls
      .get({ ...repo, pull_number: pr })
      .then(({ data }) => data.user?.login)
      .catch(() => undefined);
    if (author) facts.set(pr, { author });
  }
  return facts;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
