import type { Octokit } from '@octokit/rest';
import { hasStatus } from './status.js';

/** `org/team`: how approver lists name a team, as CODEOWNERS does (without the `@`). */
export const isTeamSlug = (approver: string): boolean => approver.includes('/');

const isBot = (login: string): boolean => login.toLowerCase().endsWith('[bot]');

/**
 * Team membership as GitHub answers it, asked once per team and login for the life of the
 * object (one grant run), so a reconciler judging many PRs reviewed by the same people asks
 * GitHub once per person.
 */
export class TeamMemberships {
  private readonly answers = new Map<string, Promise<boolean>>();

  constructor(private readonly octokit: Octokit) {}

  /**
   * Whether `login` is an active member of `orgTeam` (`org/team`). A pending invitation is not
   * membership. GitHub answers 404 both for a non-member and for a team the token cannot see, so
   * an unseen team makes its members not count (fails closed); a token refused outright (403,
   * no `members: read`) throws rather than pass for "nobody is a member".
   */
  isActiveMember(orgTeam: string, login: string): Promise<boolean> {
    const key = `${orgTeam}\n${login}`.toLowerCase();
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.ask(orgTeam, login);
      this.answers.set(key, answer);
      // A failed question is asked again next time rather than remembered as an answer.
      answer.catch(() => this.answers.delete(key));
    }
    return answer;
  }

  /**
   * Answers every (login, team) question the approval rule can ask about these reviewers, so
   * the pure approval check gets a synchronous predicate.
   */
  async oracle(
    approvers: string[],
    logins: Iterable<string>,
  ): Promise<(login: string, orgTeam: string) => boolean> {
    const teams = approvers.filter(isTeamSlug);
    const people = [...new Set([...logins].map((l) => l.toLowerCase()))].filter((l) => !isBot(l));
    const active = new Set<string>();
    await Promise.all(
      teams.flatMap((team) =>
        people.map(async (login) => {
          if (await this.isActiveMember(team, login)) active.add(`${team}\n${login}`.toLowerCase());
        }),
      ),
    );
    return (login, orgTeam) => active.has(`${orgTeam}\n${login}`.toLowerCase());
  }

  private async ask(orgTeam: string, login: string): Promise<boolean> {
    const [org, team_slug, ...rest] = orgTeam.split('/');
    if (!org || !team_slug || rest.length > 0) return false;
    try {
      const { data } = await this.octokit.rest.teams.getMembershipForUserInOrg({
        org,
        team_slug,
        username: login,
      });
      return data.state === 'active';
    } catch (e) {
      if (hasStatus(e, 404)) return false;
      throw e;
    }
  }
}
