import type { User } from '../state.js';

/** Web links point at github.com so rendered comments look as they would in production. */
export const WEB = 'https://github.com';

export const nodeId = (kind: string, id: number): string =>
  Buffer.from(`0:${kind}${id}`).toString('base64').replace(/=+$/, '');

/** GitHub's `simple-user`: the shape every `user`, `owner` and `sender` field has. */
export function simpleUser(base: string, user: User): Record<string, unknown> {
  // Bot logins end in `[bot]`, which GitHub percent-encodes in URLs; their pages live under /apps.
  const api = `${base}/users/${encodeURIComponent(user.login)}`;
  const html =
    user.type === 'Bot'
      ? `${WEB}/apps/${user.login.replace(/\[bot\]$/, '')}`
      : `${WEB}/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Organization' ? 'Organization' : 'User', user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: html,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}
