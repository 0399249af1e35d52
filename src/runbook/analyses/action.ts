import { actionOf } from '../../revoke/usage.js';
import type { CloudTrailRecord } from '../event.js';

/**
 * `actionOf`, remembered per event source and name for one run: a record costs two Map lookups
 * instead of a regular expression and a new string. Memory grows with distinct actions, not
 * records.
 */
export function actionsOf(): (record: CloudTrailRecord) => string {
  const bySource = new Map<string, Map<string, string>>();
  return (record) => {
    const { eventSource, eventName } = record;
    // Anything but text goes the long way, failing or not exactly as actionOf does.
    if (typeof eventSource !== 'string' || typeof eventName !== 'string') return actionOf(record);
    let byName = bySource.get(eventSource);
    if (!byName) bySource.set(eventSource, (byName = new Map()));
    let action = byName.get(eventName);
    if (action === undefined) byName.set(eventName, (action = actionOf(record)));
    return action;
  };
}
