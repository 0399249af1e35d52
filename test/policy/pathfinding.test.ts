import { lookupAction } from '../../src/policy/actions.js';
import { ESCALATIONS } from '../../src/policy/escalation.js';
import { lintStatements } from '../../src/policy/lint.js';
import { PATHFINDING_PATHS } from './pathfinding-catalogue.js';

const PAGE = 'https://pathfinding.cloud/paths/';
const one = (actions: string[], resources: string[]) =>
  lintStatements([{ actions, resources }], { pathPrefix: 'permissions', denyActions: [] });

describe('the pathfinding.cloud catalogue', () => {
  test('every transcribed action is in the generated action catalogue', () => {
    const unknown = PATHFINDING_PATHS.flatMap((p) => p.actions).filter((a) => !lookupAction(a));
    expect(unknown).toEqual([]);
  });

  // Each path's required actions, granted on `*` as one request, must raise a finding that cites
  // that path's page.
  test.each(PATHFINDING_PATHS.map((p) => [p.id, p.actions] as const))(
    '%s is flagged',
    (id, actions) => {
      const l = one([...actions], ['*']);
      const citing = l.risks.filter((r) => r.sources.includes(`${PAGE}${id}`));
      expect([id, citing.length > 0]).toEqual([id, true]);
    },
  );

  test('every page the catalogue cites is a transcribed path', () => {
    const ids = new Set(PATHFINDING_PATHS.map((p) => p.id));
    const cited = ESCALATIONS.flatMap((e) => e.sources)
      .filter((s) => s.startsWith(PAGE))
      .map((s) => s.slice(PAGE.length));
    expect(cited.filter((id) => !ids.has(id))).toEqual([]);
  });
});
