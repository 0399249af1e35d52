import type { CloudTrailRecord, EventSource } from '../../src/runbook/event.js';

/**
 * Whether a record is a management event, as the record says: what LookupEvents can return of
 * a trail (data and network activity events are `managementEvent: false`, `eventCategory` other
 * than `Management`). Records with neither field (older event versions) count as management.
 */
export function isManagement(record: CloudTrailRecord): boolean {
  const { managementEvent, eventCategory } = record as {
    managementEvent?: unknown;
    eventCategory?: unknown;
  };
  if (managementEvent === false) return false;
  return eventCategory === undefined || eventCategory === 'Management';
}

/** The same source with its data events left out: the trail as LookupEvents sees it. */
export function managementOnly(source: EventSource): EventSource {
  return {
    name: source.name,
    async *events(query) {
      for await (const record of source.events(query)) if (isManagement(record)) yield record;
    },
  };
}
