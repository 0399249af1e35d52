import { createHash } from 'node:crypto';
import {
  defaultProtection,
  defaultSettings,
  type BranchProtection,
  type Environment,
  type RepoSettings,
  type Ruleset,
  type WorkflowPermissions,
} from './settings.js';

/**
 * The emulated GitHub world: what tests set up and what the REST routes read. Plain data plus
 * the few transitions a PR goes through (push, review, merge); rendering to GitHub's JSON shapes
 * lives in render/.
 */

export type UserType = 'User' | 'Bot' | 'Organization';

export interface User {
  login: string;
  id: number;
  type: UserType;
}

export interface Repo {
  owner: string;
  name: string;
  id: number;
  defaultBranch: string;
  private: boolean;
  createdAt: Date;
  /**
   * OIDC subjects carry owner and repository ids (`repo:acme@1/access@2:...`), GitHub's default
   * for repositories created since mid-2026.
   */
  immutableOidcSubject: boolean;
  /** Branch name -> head commit sha. */
  branches: Map<string, string>;
  /** Login -> role on this repository. */
  collaborators: Map<string, RepoRole>;
  settings: RepoSettings;
}

export type RepoRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

/**
 * A file as git stores it: bytes, whatever their encoding. GitHub's contents API serves them
 * base64-encoded as they are, so a file that is not UTF-8 reaches a client as written:
 * https://docs.github.com/en/rest/repos/contents#get-repository-content
 */
export type FileBytes = Buffer;
/** What a test or a route gives: text (stored as its UTF-8 bytes), or the bytes themselves. */
export type FileInput = string | Uint8Array;

export const toBytes = (input: FileInput): FileBytes =>
  typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);

/** A commit is a full snapshot of the tree (path -> bytes), enough for the contents API. */
export interface Commit {
  sha: string;
  repo: string;
  files: Map<string, FileBytes>;
  /** Parent shas, oldest history first; empty for a root commit. Fast-forward checks walk these. */
  parents: string[];
  message: string;
}

/** A tree entry the contents API describes instead of serving: a symlink or a submodule. */
export type SpecialEntry =
  { type: 'symlink'; target: string } | { type: 'submodule'; url: string; sha: string };

/** A tree made through the git data API, waiting for a commit: a full snapshot, as commits are. */
export interface Tree {
  sha: string;
  repo: string;
  files: Map<string, FileBytes>;
}

export type FileStatus = 'added' | 'modified' | 'removed' | 'renamed';

export interface ChangedFile {
  filename: string;
  status: FileStatus;
  previousFilename?: string;
  additions?: number;
  deletions?: number;
}

export interface PullRequest {
  repo: string;
  number: number;
  id: number;
  author: string;
  title: string;
  body: string | null;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** Every head sha this PR has had, oldest first: the commits it contains. */
  commits: string[];
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt: Date | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  closedAt: Date | null;
  labels: string[];
  files: ChangedFile[];
  /** Logins whose review is requested and not yet given, in the order asked. */
  requestedReviewers: string[];
  /** Teams (`org/slug`, lower case) whose review is requested. */
  requestedTeams: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';

export interface Review {
  id: number;
  repo: string;
  pullNumber: number;
  user: string;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: Date;
}

export interface IssueComment {
  id: number;
  repo: string;
  issueNumber: number;
  user: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface TeamMembership {
  state: 'active' | 'pending';
  role: 'member' | 'maintainer';
}

export interface Team {
  org: string;
  slug: string;
  id: number;
  name: string;
  members: Map<string, TeamMembership>;
  /** Repositories (`owner/name`, lower case) the team was added to, with its role there. */
  repos: Map<string, RepoRole>;
}

export interface RepoInit {
  id?: number;
  defaultBranch?: string;
  private?: boolean;
  immutableOidcSubject?: boolean;
  /** Files on the default branch's first commit. */
  files?: Record<string, FileInput>;
}

export interface PullRequestInit {
  number?: number;
  author: string;
  title?: string;
  body?: string | null;
  headRef?: string;
  /** Head commit; created from `headFiles` (over the base branch) when not already known. */
  headSha?: string;
  /** Files the head commit changes: text or bytes, or null to delete. */
  headFiles?: Record<string, FileInput | null>;
  baseRef?: string;
  labels?: string[];
  /** Changed files as the files API lists them; derived from `headFiles` when omitted. */
  files?: ChangedFile[];
}

export interface ReviewInit {
  user: string;
  state: Exclude<ReviewState, 'DISMISSED'>;
  body?: string;
  /** Defaults to the PR's current head: an approval of what is there now. */
  commitId?: string;
  submittedAt?: Date;
}

const key = (fullName: string): string => fullName.toLowerCase();

export class NotFound extends Error {}

export class GitHubState {
  readonly users = new Map<string, User>();
  readonly repos = new Map<string, Repo>();
  readonly commits = new Map<string, Commit>();
  readonly pulls = new Map<string, PullRequest>();
  readonly reviews: Review[] = [];
  readonly comments: IssueComment[] = [];
  readonly teams = new Map<string, Team>();
  readonly trees = new Map<string, Tree>();
  /** Entries of a commit that are not plain files, keyed `<sha>\0<path>`. */
  readonly specialEntries = new Map<string, SpecialEntry>();
  private seq = 1000;

  constructor(readonly clock: () => Date = () => new Date()) {}

  /** Ids and shas are deterministic so test output is stable run to run. */
  nextId(): number {
    return ++this.seq;
  }

  nextSha(): string {
    return createHash('sha1').update(`commit-${this.nextId()}`).digest('hex');
  }

  addUser(login: string, init: { id?: number; type?: UserType } = {}): User {
    const user: User = { login, id: init.id ?? this.nextId(), type: init.type ?? 'User' };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  /** A login seen anywhere (author, reviewer, owner) exists as a user, created on first use. */
  user(login: string): User {
    const found = this.users.get(login.toLowerCase());
    if (found) return found;
    return this.addUser(login, { type: login.endsWith('[bot]') ? 'Bot' : 'User' });
  }

  addRepo(fullName: string, init: RepoInit = {}): Repo {
    const [owner, name] = splitFullName(fullName);
    if (!this.users.has(owner.toLowerCase())) this.addUser(owner, { type: 'Organization' });
    const repo: Repo = {
      owner,
      name,
      id: init.id ?? this.nextId(),
      defaultBranch: init.defaultBranch ?? 'main',
      private: init.private ?? true,
      createdAt: this.clock(),
      immutableOidcSubject: init.immutableOidcSubject ?? false,
      branches: new Map(),
      collaborators: new Map(),
      settings: defaultSettings(),
    };
    this.repos.set(key(fullName), repo);
    const root = this.addCommit(fullName, { files: init.files ?? {} });
    repo.branches.set(repo.defaultBranch, root.sha);
    return repo;
  }

  repo(fullName: string): Repo {
    const repo = this.repos.get(key(fullName));
    if (!repo) throw new NotFound(`no repository ${fullName}`);
    return repo;
  }

  /** A commit whose tree is `parent`'s with `files` applied (null deletes a path). */
  addCommit(
    fullName: string,
    init: {
      sha?: string;
      parent?: string;
      files?: Record<string, FileInput | null>;
      message?: string;
    } = {},
  ): Commit {
    // Commits are immutable: a sha names one tree forever, as in git.
    if (init.sha && this.commits.has(init.sha)) throw new Error(`commit ${init.sha} exists`);
    const base = init.parent
      ? this.commit(fullName, init.parent).files
      : new Map<string, FileBytes>();
    const files = new Map(base);
    for (const [path, content] of Object.entries(init.files ?? {})) {
      if (content === null) files.delete(path);
      else files.set(path, toBytes(content));
    }
    const commit: Commit = {
      sha: init.sha ?? this.nextSha(),
      repo: key(fullName),
      files,
      parents: init.parent ? [init.parent] : [],
      message: init.message ?? '',
    };
    this.commits.set(commit.sha, commit);
    return commit;
  }

  commit(fullName: string, sha: string): Commit {
    const commit = this.commits.get(sha);
    if (!commit || commit.repo !== key(fullName)) throw new NotFound(`no commit ${sha}`);
    return commit;
  }

  /** A commit of a whole snapshot with explicit parents, as `POST /git/commits` makes one. */
  addSnapshotCommit(
    fullName: string,
    init: { files: Map<string, FileBytes>; parents: string[]; message: string },
  ): Commit {
    for (const p of init.parents) this.commit(fullName, p);
    const commit: Commit = {
      sha: this.nextSha(),
      repo: key(fullName),
      files: new Map(init.files),
      parents: [...init.parents],
      message: init.message,
    };
    this.commits.set(commit.sha, commit);
    return commit;
  }

  /** Whether `ancestor` is `sha` or reachable from it through parents: a fast-forward test. */
  isAncestor(fullName: string, ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...this.commit(fullName, next).parents);
    }
    return false;
  }

  /** Commits `files` on top of a branch and moves the branch. */
  commitToBranch(
    fullName: string,
    branch: string,
    files: Record<string, FileInput | null>,
  ): Commit {
    const repo = this.repo(fullName);
    const commit = this.addCommit(fullName, { parent: repo.branches.get(branch), files });
    repo.branches.set(branch, commit.sha);
    return commit;
  }

  /** A new branch at `from` (a ref or sha; the default branch when absent). */
  addBranch(fullName: string, branch: string, from?: string): void {
    this.repo(fullName).branches.set(branch, this.resolveRef(fullName, from).sha);
  }

  /** A branch name, `refs/heads/<name>` or a sha; the default branch when absent. */
  resolveRef(fullName: string, ref?: string): Commit {
    const repo = this.repo(fullName);
    const name = (ref ?? repo.defaultBranch).replace(/^refs\/heads\//, '');
    const sha = repo.branches.get(name) ?? name;
    return this.commit(fullName, sha);
  }

  setCollaborator(fullName: string, login: string, role: RepoRole): void {
    this.user(login);
    this.repo(fullName).collaborators.set(login.toLowerCase(), role);
  }

  protectBranch(
    fullName: string,
    branch: string,
    protection: Partial<BranchProtection> = {},
  ): void {
    this.repo(fullName).settings.protections.set(branch, { ...defaultProtection(), ...protection });
  }

  addRuleset(
    fullName: string,
    init: Partial<Omit<Ruleset, 'id' | 'createdAt'>> & { name: string },
  ): Ruleset {
    const ruleset: Ruleset = {
      id: this.nextId(),
      enforcement: 'active',
      conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
      rules: [],
      bypass_actors: [],
      ...init,
      createdAt: this.clock(),
    };
    this.repo(fullName).settings.rulesets.push(ruleset);
    return ruleset;
  }

  addEnvironment(
    fullName: string,
    name: string,
    init: Partial<Omit<Environment, 'id' | 'name' | 'createdAt'>> = {},
  ): Environment {
    for (const r of init.reviewers ?? []) {
      if (r.type === 'User') this.user(r.name);
      else if (!this.teams.has(key(r.name))) this.addTeam(r.name);
    }
    const env: Environment = {
      id: this.nextId(),
      name,
      reviewers: [],
      preventSelfReview: false,
      waitTimer: 0,
      branchPolicy: null,
      ...init,
      createdAt: this.clock(),
    };
    this.repo(fullName).settings.environments.set(name.toLowerCase(), env);
    return env;
  }

  setWorkflowPermissions(fullName: string, permissions: Partial<WorkflowPermissions>): void {
    const settings = this.repo(fullName).settings;
    settings.workflowPermissions = { ...settings.workflowPermissions, ...permissions };
  }

  addTeam(orgSlash: string, init: { id?: number; name?: string } = {}): Team {
    const [org, slug] = splitFullName(orgSlash);
    const team: Team = {
      org,
      slug,
      id: init.id ?? this.nextId(),
      name: init.name ?? slug,
      members: new Map(),
      repos: new Map(),
    };
    this.teams.set(key(orgSlash), team);
    return team;
  }

  team(orgSlash: string): Team {
    const team = this.teams.get(key(orgSlash));
    if (!team) throw new NotFound(`no team ${orgSlash}`);
    return team;
  }

  addTeamMember(orgSlash: string, login: string, membership: Partial<TeamMembership> = {}): void {
    this.user(login);
    const team = this.teams.get(key(orgSlash)) ?? this.addTeam(orgSlash);
    team.members.set(login.toLowerCase(), {
      state: membership.state ?? 'active',
      role: membership.role ?? 'member',
    });
  }

  /** Adds a team to a repository, as the repository's "Collaborators and teams" page does. */
  addTeamRepo(orgSlash: string, fullName: string, role: RepoRole = 'write'): void {
    const team = this.teams.get(key(orgSlash)) ?? this.addTeam(orgSlash);
    this.repo(fullName);
    team.repos.set(key(fullName), role);
  }

  /**
   * Whether a login can be asked for review: a collaborator, or an active member of a team added
   * to the repository. Stricter than GitHub, which also counts organisation base permissions.
   */
  canReview(fullName: string, login: string): boolean {
    const repo = this.repo(fullName);
    if (repo.collaborators.has(login.toLowerCase())) return true;
    return [...this.teams.values()].some(
      (t) => t.repos.has(key(fullName)) && t.members.get(login.toLowerCase())?.state === 'active',
    );
  }

  openPullRequest(fullName: string, init: PullRequestInit): PullRequest {
    const repo = this.repo(fullName);
    this.user(init.author);
    const baseRef = init.baseRef ?? repo.defaultBranch;
    const headSha = this.headCommit(fullName, baseRef, init.headSha, init.headFiles);
    const number = init.number ?? this.nextIssueNumber(fullName);
    const now = this.clock();
    const pr: PullRequest = {
      repo: key(fullName),
      number,
      id: this.nextId(),
      author: init.author,
      title: init.title ?? `Pull request #${number}`,
      body: init.body ?? null,
      headRef: init.headRef ?? `${init.author}-patch-${number}`,
      headSha,
      baseRef,
      commits: [headSha],
      state: 'open',
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      closedAt: null,
      labels: [...(init.labels ?? [])],
      files: init.files ?? changedFiles(this.resolveRef(fullName, baseRef), init.headFiles ?? {}),
      requestedReviewers: [],
      requestedTeams: [],
      createdAt: now,
      updatedAt: now,
    };
    this.pulls.set(`${key(fullName)}#${number}`, pr);
    return pr;
  }

  pull(fullName: string, number: number): PullRequest {
    const pr = this.pulls.get(`${key(fullName)}#${number}`);
    if (!pr) throw new NotFound(`no pull request #${number}`);
    return pr;
  }

  /** New commits on the PR's head branch; `files` replaces the changed-files list when given. */
  push(
    fullName: string,
    number: number,
    newSha?: string,
    change: { headFiles?: Record<string, FileInput | null>; files?: ChangedFile[] } = {},
  ): PullRequest {
    const pr = this.openPull(fullName, number);
    const sha = this.headCommit(fullName, pr.headSha, newSha, change.headFiles);
    pr.headSha = sha;
    pr.commits.push(sha);
    if (change.files) pr.files = change.files;
    else if (change.headFiles) {
      const base = this.resolveRef(fullName, pr.baseRef);
      pr.files = changedFiles(base, treeDelta(base, this.commit(fullName, sha)));
    }
    pr.updatedAt = this.clock();
    return pr;
  }

  /** Merges as GitHub's merge button does: a merge commit on the base branch with the PR's tree. */
  merge(fullName: string, number: number, opts: { by: string; sha?: string }): PullRequest {
    const pr = this.openPull(fullName, number);
    this.user(opts.by);
    const head = this.commits.get(pr.headSha);
    const delta: Record<string, FileInput | null> = {};
    for (const f of pr.files) {
      delta[f.filename] = f.status === 'removed' ? null : (head?.files.get(f.filename) ?? '');
      if (f.previousFilename) delta[f.previousFilename] = null;
    }
    const repo = this.repo(fullName);
    const merge = this.addCommit(fullName, {
      sha: opts.sha,
      parent: repo.branches.get(pr.baseRef),
      files: delta,
    });
    repo.branches.set(pr.baseRef, merge.sha);
    const now = this.clock();
    pr.merged = true;
    pr.mergedAt = now;
    pr.mergedBy = opts.by;
    pr.mergeCommitSha = merge.sha;
    return this.closed(pr, now);
  }

  close(fullName: string, number: number): PullRequest {
    return this.closed(this.openPull(fullName, number), this.clock());
  }

  review(fullName: string, number: number, init: ReviewInit): Review {
    const pr = this.pull(fullName, number);
    this.user(init.user);
    const review: Review = {
      id: this.nextId(),
      repo: pr.repo,
      pullNumber: number,
      user: init.user,
      state: init.state,
      body: init.body ?? '',
      commitId: init.commitId ?? pr.headSha,
      submittedAt: init.submittedAt ?? this.clock(),
    };
    this.reviews.push(review);
    // "Once a requested reviewer submits a review, they are no longer considered a requested
    // reviewer" (https://docs.github.com/rest/pulls/review-requests).
    pr.requestedReviewers = pr.requestedReviewers.filter(
      (l) => l.toLowerCase() !== init.user.toLowerCase(),
    );
    return review;
  }

  dismissReview(reviewId: number): Review {
    const review = this.reviews.find((r) => r.id === reviewId);
    if (!review) throw new NotFound(`no review ${reviewId}`);
    review.state = 'DISMISSED';
    return review;
  }

  addLabel(fullName: string, number: number, label: string): void {
    const pr = this.pull(fullName, number);
    if (!pr.labels.includes(label)) pr.labels.push(label);
    pr.updatedAt = this.clock();
  }

  editBody(fullName: string, number: number, body: string | null): void {
    const pr = this.pull(fullName, number);
    pr.body = body;
    pr.updatedAt = this.clock();
  }

  comment(
    fullName: string,
    issueNumber: number,
    init: { user: string; body: string },
  ): IssueComment {
    this.pull(fullName, issueNumber);
    this.user(init.user);
    const now = this.clock();
    const comment: IssueComment = {
      id: this.nextId(),
      repo: key(fullName),
      issueNumber,
      user: init.user,
      body: init.body,
      createdAt: now,
      updatedAt: now,
    };
    this.comments.push(comment);
    return comment;
  }

  editComment(commentId: number, body: string): IssueComment {
    const comment = this.comments.find((c) => c.id === commentId);
    if (!comment) throw new NotFound(`no comment ${commentId}`);
    comment.body = body;
    comment.updatedAt = this.clock();
    return comment;
  }

  /** Makes `path` in commit `sha` a symlink or a submodule, as a push of one would. */
  markEntry(sha: string, path: string, entry: SpecialEntry): void {
    this.specialEntries.set(`${sha}\0${path}`, entry);
  }

  deleteComment(commentId: number): void {
    const at = this.comments.findIndex((c) => c.id === commentId);
    if (at < 0) throw new NotFound(`no comment ${commentId}`);
    this.comments.splice(at, 1);
  }

  private closed(pr: PullRequest, now: Date): PullRequest {
    pr.state = 'closed';
    pr.closedAt = now;
    pr.updatedAt = now;
    return pr;
  }

  private openPull(fullName: string, number: number): PullRequest {
    const pr = this.pull(fullName, number);
    if (pr.state !== 'open') throw new Error(`pull request #${number} is not open`);
    return pr;
  }

  /** The given sha when already committed, else a new commit of `files` over `parent` (a ref or sha). */
  private headCommit(
    fullName: string,
    parent: string,
    sha: string | undefined,
    files: Record<string, FileInput | null> | undefined,
  ): string {
    if (sha && this.commits.has(sha) && !files) return sha;
    const parentSha = this.resolveRef(fullName, parent).sha;
    return this.addCommit(fullName, { sha, parent: parentSha, files: files ?? {} }).sha;
  }

  private nextIssueNumber(fullName: string): number {
    let max = 0;
    for (const pr of this.pulls.values())
      if (pr.repo === key(fullName)) max = Math.max(max, pr.number);
    return max + 1;
  }
}

function splitFullName(fullName: string): [string, string] {
  const [owner, name, ...rest] = fullName.split('/');
  if (!owner || !name || rest.length > 0) throw new Error(`expected owner/name, got ${fullName}`);
  return [owner, name];
}

/** What a set of path changes does to `base`, as the files API reports it. */
function changedFiles(base: Commit, delta: Record<string, FileInput | null>): ChangedFile[] {
  return Object.entries(delta).map(([filename, content]) => {
    const before = base.files.get(filename);
    const status: FileStatus =
      content === null ? 'removed' : before === undefined ? 'added' : 'modified';
    return {
      filename,
      status,
      additions: content === null ? 0 : lineCount(toBytes(content)),
      deletions: before === undefined ? 0 : lineCount(before),
    };
  });
}

/** Paths whose bytes differ between two snapshots; null marks a deletion. */
function treeDelta(base: Commit, head: Commit): Record<string, FileBytes | null> {
  const delta: Record<string, FileBytes | null> = {};
  for (const [path, bytes] of head.files)
    if (!base.files.get(path)?.equals(bytes)) delta[path] = bytes;
  for (const path of base.files.keys()) if (!head.files.has(path)) delta[path] = null;
  return delta;
}

/** Lines as git counts them, by newline bytes: the encoding does not matter. */
function lineCount(bytes: FileBytes): number {
  if (bytes.length === 0) return 0;
  let lines = 1;
  for (const byte of bytes) if (byte === 0x0a) lines++;
  return lines;
}
