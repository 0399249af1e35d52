import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../github/pull-request.js';
import type { Finding } from './checks.js';
import type { Read } from './snapshot.js';
import { DECISION_LOG_BRANCH, DECISION_LOG_RULES } from '../record/log.js';

export { DECISION_LOG_BRANCH, DECISION_LOG_RULES };
export const DECISION_LOG_REF = `refs/heads/${DECISION_LOG_BRANCH}`;

/** The GitHub Actions app, whose installation token is every workflow's `GITHUB_TOKEN`. */
const GITHUB_ACTIONS_APP_ID = 15368;

/** A ruleset whose conditions select the log branch, whatever its enforcement. */
export interface LogRuleset {
  name: string;
  enforcement: string;
  rules: string[];
  /** Absent when the token may not see them (GitHub shows them to ruleset editors only). */
  bypassActors?: { type: string; id: number | null; mode: string }[];
}

export interface DecisionLogSettings {
  rulesets: Read<LogRuleset[]>;
  /** The rule types GitHub applies to the branch (active rulesets only). */
  effectiveRules: Read<string[]>;
  /** `absent` when the branch does not exist yet. */
  branch: Read<true>;
}

type Reader = <T>(permission: string, call: () => Promise<T>) => Promise<Read<T>>;

/** Reads the rulesets, effective rules and existence of the log branch, each on its own. */
export async function readDecisionLog(
  octokit: Octokit,
  ref: RepoRef,
  defaultBranch: string,
  read: Reader,
): Promise<DecisionLogSettings> {
  const [rulesets, effectiveRules, branch] = await Promise.all([
    read('metadata: read', async () => {
      const list = await octokit.paginate(octokit.rest.repos.getRepoRulesets, {
        ...ref,
        includes_parents: true,
        per_page: 100,
      });
      const full = await Promise.all(
        list.map(
          async (r) => (await octokit.rest.repos.getRepoRuleset({ ...ref, ruleset_id: r.id })).data,
        ),
      );
      return full
        .filter(
          (r) =>
            (r.target ?? 'branch') === 'branch' &&
            targetsRef(r.conditions?.ref_name, DECISION_LOG_BRANCH, defaultBranch),
        )
        .map((r): LogRuleset => ({
          name: r.name,
          enforcement: r.enforcement,
          rules: (r.rules ?? []).map((rule) => rule.type),
          ...(r.bypass_actors && {
            bypassActors: r.bypass_actors.map((a) => ({
              type: a.actor_type,
              id: a.actor_id ?? null,
              mode: a.bypass_mode ?? 'always',
            })),
          }),
        }));
    }),
    read('metadata: read', async () =>
      (
        await octokit.paginate(octokit.rest.repos.getBranchRules, {
          ...ref,
          branch: DECISION_LOG_BRANCH,
          per_page: 100,
        })
      ).map((r) => r.type),
    ),
    // The contents API answers 404 for a ref that does not exist; the log is written through it.
    read('contents: read', async () => {
      await octokit.rest.repos.getContent({ ...ref, path: '', ref: DECISION_LOG_REF });
      return true as const;
    }),
  ]);
  return { rulesets, effectiveRules, branch };
}

/**
 * GitHub's ref-name condition: `~ALL`, `~DEFAULT_BRANCH`, or fnmatch patterns on the full ref
 * (`refs/heads/...`, or a bare name), where `*` stays within a segment and `**` crosses them.
 */
function targetsRef(
  condition: { include?: string[]; exclude?: string[] } | undefined,
  branch: string,
  defaultBranch: string,
): boolean {
  const ref = `refs/heads/${branch}`;
  const matches = (pattern: string): boolean => {
    if (pattern === '~ALL') return true;
    if (pattern === '~DEFAULT_BRANCH') return branch === defaultBranch;
    const full = pattern.startsWith('refs/') ? pattern : `refs/heads/${pattern}`;
    const source = full
      .split(/(\*\*|\*|\?)/)
      .map((part) =>
        part === '**'
          ? '.*'
          : part === '*'
            ? '[^/]*'
            : part === '?'
              ? '[^/]'
              : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
      )
      .join('');
    return new RegExp(`^${source}$`).test(ref);
  };
  return (condition?.include ?? []).some(matches) && !(condition?.exclude ?? []).some(matches);
}

/**
 * The decision log is evidence only if nobody but the App can create, move or delete its branch:
 * an active ruleset on it with the four rules, bypassed by GitHub Apps alone (another actor type
 * is a person who can rewrite history; no App at all means the App cannot write either), and
 * GitHub actually applying those rules to the branch.
 */
export function decisionLogFindings(log: DecisionLogSettings): Finding[] {
  const fix = `add an active ruleset targeting ${DECISION_LOG_REF} with "Restrict creations", "Restrict updates", "Restrict deletions" and "Block force pushes", whose only bypass actor is the jit-access GitHub App`;
  const findings = [
    ...unreadable('the rulesets of the decision log branch', log.rulesets),
    ...unreadable(`the rules GitHub applies to ${DECISION_LOG_BRANCH}`, log.effectiveRules),
    ...unreadable(`the ${DECISION_LOG_BRANCH} branch`, log.branch),
  ];
  if (log.branch.state === 'absent')
    findings.push({
      id: 'decision-log-branch-missing',
      severity: 'warning',
      message: `the decision log branch ${DECISION_LOG_BRANCH} does not exist yet`,
      fix: `nothing to do if no grant has run: the first grant creates it (the ruleset must let the App create it)`,
    });
  if (log.rulesets.state !== 'ok') return findings;
  const active = log.rulesets.value.filter((r) => r.enforcement === 'active');
  if (active.length === 0) {
    const idle = log.rulesets.value.map((r) => `"${r.name}" (${r.enforcement})`);
    findings.push({
      id: 'decision-log-unguarded',
      severity: 'error',
      message: `no active ruleset targets ${DECISION_LOG_REF}${idle.length ? `: ${idle.join(', ')} enforce nothing` : ''}; anyone with write access can rewrite the decision log`,
      fix,
    });
    return findings;
  }
  const missing = DECISION_LOG_RULES.filter((rule) => !active.some((r) => r.rules.includes(rule)));
  if (missing.length > 0)
    findings.push({
      id: 'decision-log-rule-missing',
      severity: 'error',
      message: `no active ruleset on ${DECISION_LOG_REF} has ${missing.join(', ')}: the decision log can be ${missing.map(verb).join(', ')} by anyone with write access`,
      fix,
    });
  const guarding = active.filter((r) => r.rules.some((t) => isGuardRule(t)));
  const hidden = guarding.filter((r) => r.bypassActors === undefined);
  if (hidden.length > 0)
    findings.push({
      id: 'cannot-read',
      severity: 'error',
      message: `cannot see who may bypass ${hidden.map((r) => `ruleset "${r.name}"`).join(', ')}`,
      fix: 'give the token administration: read on this repository (bypass actors are shown to ruleset editors only)',
    });
  // GitHub Actions is an App too: bypassing it lets every workflow's GITHUB_TOKEN, from any
  // branch anyone can push, write the log.
  const people = guarding.flatMap((r) =>
    (r.bypassActors ?? [])
      .filter((a) => a.type !== 'Integration' || a.id === GITHUB_ACTIONS_APP_ID)
      .map((a) => `ruleset "${r.name}": ${a.type}${a.id === null ? '' : ` ${a.id}`} (${a.mode})`),
  );
  if (people.length > 0)
    findings.push({
      id: 'decision-log-bypass',
      severity: 'error',
      message: `people can bypass the rules on ${DECISION_LOG_REF} and rewrite the decision log: ${people.join('; ')}`,
      fix: 'leave only the jit-access GitHub App in the bypass list',
    });
  // The App writes the log through the contents API: it must bypass every ruleset that
  // restricts creating or updating the branch, directly (not only through pull requests).
  const writing = guarding.filter(
    (r) => r.bypassActors !== undefined && r.rules.some((t) => t === 'creation' || t === 'update'),
  );
  const apps = writing.map(
    (r) =>
      new Set(
        (r.bypassActors ?? [])
          .filter((a) => a.type === 'Integration' && a.mode !== 'pull_request')
          .map((a) => a.id),
      ),
  );
  const common = apps.length > 0 ? [...apps[0]!].filter((id) => apps.every((s) => s.has(id))) : [];
  if (writing.length > 0 && common.length === 0)
    findings.push({
      id: 'decision-log-app-cannot-write',
      severity: 'error',
      message: `no GitHub App may bypass ${writing.map((r) => `ruleset "${r.name}"`).join(' and ')} directly: not even jit-access can write the decision log`,
      fix: 'add the jit-access GitHub App to the bypass list, mode "Always"',
    });
  if (missing.length === 0 && log.effectiveRules.state === 'ok') {
    const applied = log.effectiveRules.value;
    const notApplied = DECISION_LOG_RULES.filter((rule) => !applied.includes(rule));
    if (notApplied.length > 0)
      findings.push({
        id: 'decision-log-rule-missing',
        severity: 'error',
        message: `GitHub does not apply ${notApplied.join(', ')} to ${DECISION_LOG_BRANCH} (GET /rules/branches/${DECISION_LOG_BRANCH}), although a ruleset names them`,
        fix,
      });
  }
  return findings;
}

const isGuardRule = (type: string): boolean =>
  (DECISION_LOG_RULES as readonly string[]).includes(type);

const VERBS: Record<(typeof DECISION_LOG_RULES)[number], string> = {
  creation: 'created',
  update: 'pushed to',
  deletion: 'deleted',
  non_fast_forward: 'force-pushed',
};
const verb = (rule: (typeof DECISION_LOG_RULES)[number]): string => VERBS[rule];

function unreadable(what: string, read: Read<unknown>): Finding[] {
  if (read.state === 'forbidden')
    return [
      {
        id: 'cannot-read',
        severity: 'error',
        message: `cannot read ${what}: the token lacks the ${read.permission} permission (${read.message})`,
        fix: `give the token ${read.permission} on this repository (fine-grained token or GitHub App)`,
      },
    ];
  if (read.state === 'failed')
    return [
      {
        id: 'cannot-read',
        severity: 'error',
        message: `cannot read ${what}: ${read.message}`,
        fix: 'run jit doctor again; check the API URL and GitHub status',
      },
    ];
  return [];
}
