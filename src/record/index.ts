import { FINAL_KINDS, parseRecordPath, type RecordEntry } from './record.js';

/**
 * What the log says, per PR, read from its paths alone (one tree listing): whether a PR is done,
 * whether its grant was revoked, which `/revoke` comments were answered.
 */
export class LogIndex {
  private readonly byPr = new Map<number, RecordEntry[]>();

  constructor(paths: Iterable<string>) {
    for (const path of paths) {
      const entry = parseRecordPath(path);
      if (!entry) continue;
      const list = this.byPr.get(entry.pr) ?? [];
      list.push(entry);
      this.byPr.set(entry.pr, list);
    }
    for (const list of this.byPr.values()) list.sort((a, b) => a.seq - b.seq);
  }

  entries(pr: number): readonly RecordEntry[] {
    return this.byPr.get(pr) ?? [];
  }

  /** Every PR the log has a record for, in ascending order. */
  prs(): number[] {
    return [...this.byPr.keys()].sort((a, b) => a - b);
  }

  has(pr: number, kind: RecordEntry['kind']): boolean {
    return this.entries(pr).some((e) => e.kind === kind);
  }

  /**
   * Never judged for a grant again: granted, refused, expired or revoked; a request naming
   * several accounts once each of them is (or the whole PR is, by a refusal or a `/revoke`).
   */
  isFinal(pr: number): boolean {
    const final = this.entries(pr).filter((e) => FINAL_KINDS.has(e.kind));
    if (final.some((e) => !e.target)) return true;
    const of = Math.max(0, ...final.map((e) => e.target!.of));
    return of > 0 && new Set(final.map((e) => e.target!.account)).size >= of;
  }

  /** This account of a PR is decided: by a record of its own, or one about the whole PR. */
  isFinalFor(pr: number, account: string): boolean {
    return this.entries(pr).some(
      (e) => FINAL_KINDS.has(e.kind) && (!e.target || e.target.account === account),
    );
  }

  /** How many accounts the PR's request names, when its records are per account (decision 027). */
  targets(pr: number): number | undefined {
    return this.entries(pr).find((e) => e.target)?.target?.of;
  }

  /** The `/revoke` comment has been acted on or refused. */
  answered(pr: number, commentId: number): boolean {
    return this.entries(pr).some((e) => e.commentId === commentId);
  }

  /**
   * PRs granted and not yet removed: where a `/revoke` may still be waiting. A PR with several
   * accounts is live while any account's grant is (decision 027).
   */
  liveGrants(): number[] {
    return [...this.byPr.keys()].filter((pr) => {
      const entries = this.entries(pr);
      const removed = new Set(
        entries.filter((e) => e.kind === 'removed').map((e) => e.target?.account),
      );
      return entries.some(
        (e) => e.kind === 'granted' && !removed.has(e.target?.account) && !removed.has(undefined),
      );
    });
  }

  /** PRs with a record of this kind, highest number first. */
  prsWith(kind: RecordEntry['kind']): number[] {
    return [...this.byPr.keys()].filter((pr) => this.has(pr, kind)).sort((a, b) => b - a);
  }

  nextSeq(pr: number): number {
    return (this.entries(pr).at(-1)?.seq ?? 0) + 1;
  }

  /** Records an append this run made, so later decisions in the same run see it. */
  add(entry: RecordEntry): void {
    const list = this.byPr.get(entry.pr) ?? [];
    list.push(entry);
    list.sort((a, b) => a.seq - b.seq);
    this.byPr.set(entry.pr, list);
  }
}
