/**
 * A profile limited to a team's members (decision 024), with the built grant action: the grant
 * reads team membership as the App and grants only to an active member.
 */
import { approvedAndMerged, recordsOf } from '../trust/helpers.js';
import {
  CONFIG,
  pushed,
  requestFile,
  run,
  world,
  jitPolicies,
  type World,
  GRANT,
} from './world.js';

let w: World;
beforeAll(async () => {
  w = await world({
    config: CONFIG.replace(
      '    approvers: [acme/sre]\n',
      '    approvers: [acme/sre]\n    requesters: [acme/oncall]\n',
    ),
  });
});
afterAll(() => w.close());

test('a requester outside the profile’s team is refused; a member is granted', async () => {
  const outsider = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
  const first = await run(w, 'grant', pushed(), GRANT);
  expect(first.code).toBe(0);
  const refused = JSON.parse(first.outputs.refused ?? '[]') as { pr: number; reason: string }[];
  expect(refused.find((r) => r.pr === outsider)?.reason).toMatch(/only by members of acme\/oncall/);
  expect(recordsOf(w, outsider)).toEqual(['refused']);
  expect(await jitPolicies(w)).toHaveLength(0);

  // Once octocat is on call, a new request is granted; the refused one stays refused.
  w.gh.state.addTeamMember('acme/oncall', 'octocat');
  const member = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-logs-2.yaml',
    text: requestFile(),
  });
  const second = await run(w, 'grant', pushed(), GRANT);
  expect(second.code).toBe(0);
  expect(JSON.parse(second.outputs.granted ?? '[]')).toEqual([
    expect.objectContaining({ pr: member }),
  ]);
  expect(recordsOf(w, outsider)).toEqual(['refused']);
  expect(await jitPolicies(w)).toHaveLength(1);
});
