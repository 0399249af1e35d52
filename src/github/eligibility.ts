import type { ApprovalRule } from '../domain.js';
import type { Problem } from '../problem.js';
import { evaluateApprovals, type ApprovalInput, type ApprovalVerdict } from './approvals.js';
import { classifyChanges } from './changed-requests.js';
import type { PrFacts } from './pr-facts.js';

export interface ExpectedShape {
  /** The branch a request must be merged into. */
  defaultBranch: string;
  /** The request file being granted; when given, it must be the one file the PR adds. */
  requestPath?: string;
}

const refusal = (code: string, message: string, file?: string): Problem => ({
  path: '',
  severity: 'error',
  code,
  message,
  ...(file ? { file } : {}),
});

/**
 * Refusals about what the PR is and what it touched. A grantable PR was merged into the default
 * branch and adds exactly one new request file and nothing else: a PR that also edits config,
 * workflows, CODEOWNERS or an existing request could have changed the rules it is judged by.
 * One request per PR, so every grant was approved on its own.
 */
export function checkPrShape(facts: PrFacts, expected: ExpectedShape): Problem[] {
  const problems: Problem[] = [];
  const pr = `PR #${facts.number}`;
  if (!facts.merged)
    problems.push(refusal('PR_NOT_MERGED', `${pr} is not merged (it is ${facts.state})`));
  if (facts.baseRef !== expected.defaultBranch) {
    problems.push(
      refusal(
        'PR_WRONG_BASE',
        `${pr} targets ${facts.baseRef}, not the default branch ${expected.defaultBranch}`,
      ),
    );
  }
  if (facts.files.length < facts.changedFileCount) {
    problems.push(
      refusal(
        'PR_FILES_UNVERIFIABLE',
        `${pr} changes ${facts.changedFileCount} files but GitHub lists only ${facts.files.length}: what it touched cannot be verified`,
      ),
    );
  }
  const { added, problems: changes } = classifyChanges(facts.files);
  problems.push(...changes);
  if (added.length === 0) problems.push(refusal('PR_NO_REQUEST', `${pr} adds no request file`));
  if (added.length > 1) {
    problems.push(
      refusal(
        'PR_MULTIPLE_REQUESTS',
        `${pr} adds ${added.length} request files (${added.join(', ')}): one request per PR, so each grant is approved on its own`,
      ),
    );
  }
  if (expected.requestPath !== undefined && !added.includes(expected.requestPath)) {
    problems.push(
      refusal('PR_NO_REQUEST', `${pr} does not add ${expected.requestPath}`, expected.requestPath),
    );
  }
  return problems;
}

/** Only the requester may ask for their own access: the PR author must be the request's requester. */
export function checkRequester(facts: PrFacts, requester: string): Problem[] {
  if (facts.author.toLowerCase() === requester.toLowerCase()) return [];
  return [
    refusal(
      'REQUESTER_NOT_AUTHOR',
      `PR #${facts.number} was opened by ${facts.author}, but the request is for ${requester}: a request must be opened by its requester`,
    ),
  ];
}

export interface GrantContext extends ExpectedShape {
  /** The request's `requester`, read from the request file at the merge commit. */
  requester: string;
  rule: ApprovalRule;
  isMember: ApprovalInput['isMember'];
}

export interface Eligibility {
  /** Empty when the PR may be granted. */
  problems: Problem[];
  approvals: ApprovalVerdict;
}

/** Every GitHub-side reason to refuse a grant for this PR, and how its approvals were counted. */
export function judgeEligibility(facts: PrFacts, ctx: GrantContext): Eligibility {
  const approvals = evaluateApprovals({
    author: facts.author,
    headSha: facts.headSha,
    reviews: facts.reviews,
    rule: ctx.rule,
    isMember: ctx.isMember,
    mergedAt: facts.mergedAt,
  });
  const problems = [...checkPrShape(facts, ctx), ...checkRequester(facts, ctx.requester)];
  if (!approvals.satisfied) {
    const why = approvals.ignored.map((i) => `${i.login} ${i.reason}`).join('; ');
    problems.push(
      refusal(
        'APPROVALS_MISSING',
        `not enough approvals: ${approvals.summary}${why ? `. Not counted: ${why}` : ''}`,
      ),
    );
  }
  return { problems, approvals };
}
