import type { Problem } from '../problem.js';
import { parseRequest } from '../request/parse-request.js';
import type { Plan } from './plan.js';

/**
 * What can be said offline of the grant an extension names (decision 025): that its request file
 * is merged where the check can see it (`where`: the base branch, or this checkout), and that it
 * is for the same person, account and profile. Whether that grant is still live is for the grant
 * run to judge, from the decision log and IAM. Problems have path `extends` for the caller to locate.
 */
export function extendsProblems(
  plan: Plan,
  named: { text: string | undefined; where: string },
): Problem[] {
  const id = plan.request.extends;
  if (id === undefined) return [];
  const file = `requests/${id}.yaml`;
  if (named.text === undefined)
    return [
      problem(
        'EXTEND_NOT_FOUND',
        `extends names ${id}, but ${file} is not on ${named.where}: name the request file of your live grant, without .yaml`,
      ),
    ];
  const old = parseRequest(named.text, file);
  // A request that no longer reads under today's rules is judged at grant time, from the log.
  if (!old.ok) return [];
  const { requester, account, profile } = plan.request;
  if (old.value.requester.toLowerCase() !== requester.toLowerCase())
    return [
      problem(
        'EXTEND_NOT_YOURS',
        `${id} is ${old.value.requester}'s request, not ${requester}'s: you can only extend your own grant`,
      ),
    ];
  if (old.value.account !== account)
    return [
      problem(
        'EXTEND_MISMATCH',
        `${id} is for account ${old.value.account}: an extension keeps the account`,
      ),
    ];
  if (old.value.profile !== profile)
    return [
      problem(
        'EXTEND_MISMATCH',
        `${id} asked for ${old.value.profile ? `profile ${old.value.profile}` : 'custom permissions'}: an extension keeps what was granted`,
      ),
    ];
  return [];
}

const problem = (code: string, message: string): Problem => ({
  path: 'extends',
  severity: 'error',
  code,
  message,
});
