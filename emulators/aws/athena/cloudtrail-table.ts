/**
 * The CloudTrail table the emulated Athena serves, written from AWS's documentation and nothing
 * else: "Create the table for CloudTrail logs in Athena using partition projection"
 * (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html).
 * Its columns and types are the documented `CREATE EXTERNAL TABLE`'s, in its order and with its
 * lowercase names, so a client query naming any other column (or struct field) fails here as it
 * would in Athena. It is deliberately not the client's description of the table
 * (src/runbook/sql/cloudtrail-table.ts): the emulator checks that description, so it may not
 * share it.
 *
 * Partition keys: the documented example projects one, `timestamp` (`yyyy/MM/dd`), for one
 * account and region. An organisation trail's table adds `account` and `region` over the same S3
 * layout (`AWSLogs/<org-id>/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/`); the emulator
 * serves that table, with all three.
 */

/** A column's Hive type, as the documented DDL declares it. */
export type HiveType =
  'string' | { struct: Record<string, HiveType> } | { array: HiveType } | { map: 'string' };

const struct = (fields: Record<string, HiveType>): HiveType => ({ struct: fields });

/** The documented columns, in order. */
export const DOCUMENTED_COLUMNS: Record<string, HiveType> = {
  eventversion: 'string',
  useridentity: struct({
    type: 'string',
    principalid: 'string',
    arn: 'string',
    accountid: 'string',
    invokedby: 'string',
    accesskeyid: 'string',
    username: 'string',
    onbehalfof: struct({ userid: 'string', identitystorearn: 'string' }),
    sessioncontext: struct({
      attributes: struct({ mfaauthenticated: 'string', creationdate: 'string' }),
      sessionissuer: struct({
        type: 'string',
        principalid: 'string',
        arn: 'string',
        accountid: 'string',
        username: 'string',
      }),
      ec2roledelivery: 'string',
      webidfederationdata: struct({ federatedprovider: 'string', attributes: { map: 'string' } }),
    }),
  }),
  eventtime: 'string',
  eventsource: 'string',
  eventname: 'string',
  awsregion: 'string',
  sourceipaddress: 'string',
  useragent: 'string',
  errorcode: 'string',
  errormessage: 'string',
  // JSON objects in the logs; STRING columns holding their JSON text.
  requestparameters: 'string',
  responseelements: 'string',
  additionaleventdata: 'string',
  requestid: 'string',
  eventid: 'string',
  // A JSON boolean in the logs; a STRING column: 'true' or 'false'.
  readonly: 'string',
  resources: { array: struct({ arn: 'string', accountid: 'string', type: 'string' }) },
  eventtype: 'string',
  apiversion: 'string',
  recipientaccountid: 'string',
  serviceeventdetails: 'string',
  sharedeventid: 'string',
  vpcendpointid: 'string',
  vpcendpointaccountid: 'string',
  eventcategory: 'string',
  addendum: struct({
    reason: 'string',
    updatedfields: 'string',
    originalrequestid: 'string',
    originaleventid: 'string',
  }),
  sessioncredentialfromconsole: 'string',
  edgedevicedetails: 'string',
  tlsdetails: struct({
    tlsversion: 'string',
    ciphersuite: 'string',
    clientprovidedhostheader: 'string',
  }),
};

/** The partition keys, each a STRING, as the table's S3 path orders them. */
export const PARTITION_KEYS = ['account', 'region', 'timestamp'] as const;

/** The `timestamp` partition of a time: its UTC day as `yyyy/MM/dd`. */
export const timestampPartition = (ms: number): string =>
  new Date(ms).toISOString().slice(0, 10).replaceAll('-', '/');

/** The DuckDB type that holds a column of this Hive type. */
export function duckType(type: HiveType): string {
  if (type === 'string') return 'VARCHAR';
  if ('map' in type) return 'MAP(VARCHAR, VARCHAR)';
  if ('array' in type) return `${duckType(type.array)}[]`;
  const fields = Object.entries(type.struct).map(([name, t]) => `${name} ${duckType(t)}`);
  return `STRUCT(${fields.join(', ')})`;
}

/** The same type as `json_transform`'s structure argument. */
export function jsonStructure(type: HiveType): unknown {
  if (type === 'string') return 'VARCHAR';
  if ('map' in type) return 'MAP(VARCHAR, VARCHAR)';
  if ('array' in type) return [jsonStructure(type.array)];
  return Object.fromEntries(Object.entries(type.struct).map(([n, t]) => [n, jsonStructure(t)]));
}

/**
 * A record as Hive's JSON SerDe reads it into the table: keys matched case-insensitively,
 * fields the table does not have dropped, a STRING column holding a string as it is and any
 * other JSON value as its JSON text (`readonly` becomes `'true'`), plus the partition values
 * of the file it would be delivered in.
 */
export function tableRow(record: Record<string, unknown>): Record<string, unknown> {
  const row = shape(DOCUMENTED_COLUMNS, record) ?? {};
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  const time = Date.parse(String(record.eventTime));
  row.account = String(record.recipientAccountId ?? identity.accountId ?? '') || null;
  row.region = typeof record.awsRegion === 'string' ? record.awsRegion : null;
  row.timestamp = Number.isNaN(time) ? null : timestampPartition(time);
  return row;
}

function shape(fields: Record<string, HiveType>, value: unknown): Record<string, unknown> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const byLowerName = new Map(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(fields)) out[name] = cell(type, byLowerName.get(name));
  return out;
}

function cell(type: HiveType, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (type === 'string') return typeof value === 'string' ? value : JSON.stringify(value);
  if ('map' in type)
    return typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]))
      : null;
  if ('struct' in type) return shape(type.struct, value);
  return Array.isArray(value) ? value.map((v) => cell(type.array, v)) : null;
}
