import type { Octokit } from '@octokit/rest';
import type { JitConfig } from '../domain.js';
import type { Problem } from '../problem.js';
import { classifyChanges } from '../github/changed-requests.js';
import { listChangedFiles, readBytesAt, type RepoRef } from '../github/pull-request.js';
import { decodeUtf8 } from '../text/decode.js';
import type { FileOutcome } from '../report/request-comment.js';
import { parseRequestDocument } from '../request/parse-request.js';
import { extendsProblems } from './extends-check.js';
import { checkRequestTargets, sortByLine, type Plan } from './plan.js';

export interface PullRequestCheck {
  outcomes: FileOutcome[];
  prProblems: Problem[];
  valid: boolean;
  requestIds: string[];
}

/**
 * Plans every request file a PR adds. The files are read through the API at the PR's head
 * commit, as data: PR code is never checked out or run where credentials are. The verdict needs
 * nothing else: the CloudTrail report is added to it afterwards (actions/request).
 */
export async function checkPullRequest(input: {
  octokit: Octokit;
  repo: RepoRef;
  pullNumber: number;
  headSha: string;
  config: JitConfig;
  now: Date;
  /** The base branch: where the request an extension names must already be merged. */
  baseRef?: string;
}): Promise<PullRequestCheck> {
  const { octokit, repo, pullNumber, headSha, config, now } = input;
  const changes = classifyChanges(await listChangedFiles(octokit, repo, pullNumber));
  if (changes.added.length > 1) {
    // The grant takes one request per PR, so each grant is approved on its own.
    changes.problems.push({
      path: '',
      severity: 'error',
      message: `this PR adds ${changes.added.length} request files; open one PR per request so each is approved on its own`,
    });
  }
  const outcomes: FileOutcome[] = [];
  for (const file of changes.added) {
    outcomes.push(await planFile(file));
  }
  const valid = outcomes.length > 0 && changes.problems.length === 0 && outcomes.every((o) => o.ok);
  return {
    outcomes,
    prProblems: changes.problems,
    valid,
    requestIds: outcomes.flatMap((o) => (o.ok ? [o.plan.request.id] : [])),
  };

  async function planFile(file: string): Promise<FileOutcome> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readBytesAt(octokit, repo, file, headSha);
    } catch (e) {
      return { file, ok: false, problems: [fileProblem(file, (e as Error).message)] };
    }
    if (bytes === undefined) {
      return { file, ok: false, problems: [fileProblem(file, `not found at ${headSha}`)] };
    }
    const text = decodeUtf8(bytes);
    if (!text.ok) return { file, ok: false, problems: text.problems.map((p) => ({ ...p, file })) };
    const planned = checkRequestTargets({ text: text.value, file, config, now, pr: pullNumber });
    if (!planned.ok) return { file, ok: false, problems: planned.problems };
    const [plan, ...more] = planned.value.targets;
    const extended = await extendedProblems(plan!, text.value);
    if (extended.length > 0)
      return { file, ok: false, problems: sortByLine([...extended, ...plan!.warnings]) };
    return {
      file,
      ok: true,
      plan: plan!,
      ...(more.length > 0 ? { targets: planned.value.targets } : {}),
    };
  }

  async function extendedProblems(plan: Plan, text: string): Promise<Problem[]> {
    const id = plan.request.extends;
    if (id === undefined || input.baseRef === undefined) return [];
    let named: string | undefined;
    try {
      const bytes = await readBytesAt(octokit, repo, `requests/${id}.yaml`, input.baseRef);
      const decoded = bytes && decodeUtf8(bytes);
      // A file that cannot be read as text is not judged here: the grant run judges from the log.
      if (bytes) named = decoded?.ok ? decoded.value : '';
    } catch {
      return [];
    }
    const problems = extendsProblems(plan, { text: named, where: input.baseRef });
    const doc = parseRequestDocument(text, plan.file);
    return doc.ok
      ? problems.map(doc.value.locate)
      : problems.map((p) => ({ ...p, file: plan.file }));
  }
}

const fileProblem = (file: string, message: string): Problem => ({
  path: '',
  file,
  severity: 'error',
  message,
});
