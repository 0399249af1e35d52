import { globToRegExp } from '../../policy/glob.js';
import { deniedAccess, type CloudTrailRecord } from '../event.js';
import { sortRows, type Collector } from '../collector.js';
import type { RequestedActionsQuery, Row } from '../model.js';
import { actionsOf } from './action.js';

/**
 * For each requested action pattern, the principal's calls that match it (IAM action names
 * compare case-insensitively): `used` succeeded, `denied` were refused for lack of permission,
 * `count` is every matching call. `status` sums it up: `used` (some call succeeded), `denied`
 * (none did and some were refused: often the reason for the request) or `not-used`. A pattern
 * never called still has its row, so the reviewer learns it is new to the requester.
 */
export function requestedActionsCollector(query: RequestedActionsQuery): Collector {
  const patterns = [...new Set(query.actions)].map((action) => ({
    action,
    test: globToRegExp(action, true),
    used: 0,
    denied: 0,
    count: 0,
    lastUsed: null as string | null,
  }));
  const actionOf = actionsOf();
  /** The patterns each action matches, found once per distinct action. */
  const matching = new Map<string, typeof patterns>();
  return {
    add(record: CloudTrailRecord, own: boolean) {
      if (!own) return;
      const action = actionOf(record);
      let hits = matching.get(action);
      if (!hits) matching.set(action, (hits = patterns.filter((p) => p.test.test(action))));
      if (hits.length === 0) return;
      const denied = deniedAccess(record);
      for (const p of hits) {
        p.count++;
        if (denied) p.denied++;
        else if (!record.errorCode) {
          p.used++;
          if (p.lastUsed === null || record.eventTime > p.lastUsed) p.lastUsed = record.eventTime;
        }
      }
    },
    finish() {
      return sortRows(
        patterns.map((p): Row => ({
          action: p.action,
          status: p.used > 0 ? 'used' : p.denied > 0 ? 'denied' : 'not-used',
          used: p.used,
          denied: p.denied,
          lastUsed: p.lastUsed,
          count: p.count,
        })),
      );
    },
  };
}
