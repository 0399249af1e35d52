import type { Team } from '../state.js';
import { WEB, nodeId } from './users.js';

/** GitHub's `team`. */
export function team(base: string, t: Team): Record<string, unknown> {
  return {
    id: t.id,
    node_id: nodeId('Team', t.id),
    url: `${base}/organizations/${t.org}/team/${t.id}`,
    html_url: `${WEB}/orgs/${t.org}/teams/${t.slug}`,
    name: t.name,
    slug: t.slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${base}/organizations/${t.org}/team/${t.id}/members{/member}`,
    repositories_url: `${base}/organizations/${t.org}/team/${t.id}/repos`,
    type: 'organization',
    parent: null,
  };
}
