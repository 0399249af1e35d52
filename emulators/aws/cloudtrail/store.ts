/**
 * The CloudTrail event history: every call the emulator handles, plus records seeded from log
 * files. Records keep AWS's log shape (`CloudTrailEvent` is their JSON); the indexed fields are
 * what LookupEvents filters and returns beside it.
 */
export type CloudTrailRecord = Record<string, unknown>;

export interface EventResource {
  ResourceType: string;
  ResourceName: string;
}

export interface StoredEvent {
  /** Arrival order: ties in eventTime are listed newest-arrived first, and paging is stable. */
  seq: number;
  record: CloudTrailRecord;
  time: Date;
  eventId: string;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  accessKeyId?: string;
  username?: string;
  resources: EventResource[];
  accountId?: string;
  region?: string;
  /**
   * A management event, as the record itself says (`managementEvent`, `eventCategory`): data and
   * network activity events are in trail files and Athena, never in LookupEvents. Records that
   * carry neither field (eventVersion before 1.07) count as management events.
   */
  management: boolean;
}

export class CloudTrailStore {
  private readonly stored: StoredEvent[] = [];

  /** Adds one record as the emulator writes it, with the resources LookupEvents reports. */
  record(record: CloudTrailRecord, resources: EventResource[]): StoredEvent {
    const event = index(record, this.stored.length, resources);
    this.stored.push(event);
    return event;
  }

  /**
   * Loads records from CloudTrail log files: a `{ Records: [...] }` file body or a bare array.
   * Resources come from each record's `resources` ARNs, as CloudTrail derives them.
   */
  seed(records: CloudTrailRecord[] | { Records: CloudTrailRecord[] }): void {
    const list = Array.isArray(records) ? records : records.Records;
    for (const record of list) {
      const resources = Array.isArray(record.resources)
        ? (record.resources as { ARN?: string; type?: string }[])
            .filter((r) => r.ARN && r.type)
            .map((r) => ({ ResourceType: r.type as string, ResourceName: r.ARN as string }))
        : [];
      this.record(record, resources);
    }
  }

  /** Every event, in arrival order. */
  get events(): readonly StoredEvent[] {
    return this.stored;
  }
}

function index(record: CloudTrailRecord, seq: number, resources: EventResource[]): StoredEvent {
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  const readOnly = record.readOnly;
  return {
    seq,
    record,
    time: new Date(String(record.eventTime)),
    eventId: String(record.eventID ?? ''),
    eventName: String(record.eventName ?? ''),
    eventSource: String(record.eventSource ?? ''),
    readOnly: readOnly === true || readOnly === 'true',
    accessKeyId: typeof identity.accessKeyId === 'string' ? identity.accessKeyId : undefined,
    username: usernameOf(identity),
    resources,
    accountId: String(record.recipientAccountId ?? identity.accountId ?? '') || undefined,
    region: typeof record.awsRegion === 'string' ? record.awsRegion : undefined,
    management: isManagement(record),
  };
}

function isManagement(record: CloudTrailRecord): boolean {
  const { managementEvent, eventCategory } = record;
  if (managementEvent === false || managementEvent === 'false') return false;
  return eventCategory === undefined || eventCategory === 'Management';
}

/** LookupEvents' `Username`: the user name, the role session name, or the web identity subject. */
function usernameOf(identity: Record<string, unknown>): string | undefined {
  if (typeof identity.userName === 'string') return identity.userName;
  if (identity.type === 'Root') return 'root';
  if (identity.type === 'AssumedRole' && typeof identity.arn === 'string')
    return identity.arn.slice(identity.arn.lastIndexOf('/') + 1);
  return undefined;
}
