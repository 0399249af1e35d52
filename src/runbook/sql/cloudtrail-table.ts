/**
 * The CloudTrail table as Athena reads it: the shape AWS documents in "Querying AWS CloudTrail
 * logs" / "Create the table for CloudTrail logs in Athena using partition projection"
 * (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html).
 * Nested identity fields are STRUCTs, `eventtime` is a STRING, `requestparameters`,
 * `responseelements`, `additionaleventdata` and `serviceeventdetails` are STRINGs holding JSON
 * text, `resources` is an ARRAY of STRUCTs, and `readonly` is a STRING (`'true'`/`'false'`).
 *
 * AWS's example projects one partition key, `timestamp` (`yyyy/MM/dd`), for one account and
 * region. An organisation trail spans accounts and regions, so the DDL below (what the SQL
 * compiler targets) also projects `account` and `region` as injected partition keys over the
 * same S3 layout (`AWSLogs/<org-id>/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/`).
 *
 * One description, `CLOUDTRAIL_COLUMNS`, serves the compiler (which dotted runbook paths are
 * columns) and the Athena source (rebuilding records from rows). The emulator keeps its own,
 * written from the same documentation, so a column wrong here fails its tests. Names are
 * CloudTrail's spelling; SQL uses them lowercased, as Hive and Athena do.
 */

/**
 * A column's type: `string` a STRING; `json` a STRING holding the field's JSON text;
 * `boolean` a STRING holding a JSON boolean (`readOnly`), read back as a boolean.
 */
export type ColumnType =
  'string' | 'json' | 'boolean' | { struct: Column[] } | { array: Column[] } | { map: 'string' };

export interface Column {
  /** As CloudTrail spells the field. */
  name: string;
  type: ColumnType;
}

const s = (name: string): Column => ({ name, type: 'string' });
const struct = (name: string, fields: Column[]): Column => ({ name, type: { struct: fields } });

export const CLOUDTRAIL_COLUMNS: Column[] = [
  s('eventVersion'),
  struct('userIdentity', [
    s('type'),
    s('principalId'),
    s('arn'),
    s('accountId'),
    s('invokedBy'),
    s('accessKeyId'),
    s('userName'),
    struct('onBehalfOf', [s('userId'), s('identityStoreArn')]),
    struct('sessionContext', [
      struct('attributes', [s('mfaAuthenticated'), s('creationDate')]),
      struct('sessionIssuer', [
        s('type'),
        s('principalId'),
        s('arn'),
        s('accountId'),
        s('userName'),
      ]),
      s('ec2RoleDelivery'),
      struct('webIdFederationData', [
        s('federatedProvider'),
        { name: 'attributes', type: { map: 'string' } },
      ]),
    ]),
  ]),
  s('eventTime'),
  s('eventSource'),
  s('eventName'),
  s('awsRegion'),
  s('sourceIPAddress'),
  s('userAgent'),
  s('errorCode'),
  s('errorMessage'),
  { name: 'requestParameters', type: 'json' },
  { name: 'responseElements', type: 'json' },
  { name: 'additionalEventData', type: 'json' },
  s('requestID'),
  s('eventID'),
  { name: 'readOnly', type: 'boolean' },
  { name: 'resources', type: { array: [s('ARN'), s('accountId'), s('type')] } },
  s('eventType'),
  s('apiVersion'),
  s('recipientAccountId'),
  { name: 'serviceEventDetails', type: 'json' },
  s('sharedEventID'),
  s('vpcEndpointId'),
  s('vpcEndpointAccountId'),
  s('eventCategory'),
  struct('addendum', [
    s('reason'),
    s('updatedFields'),
    s('originalRequestID'),
    s('originalEventID'),
  ]),
  s('sessionCredentialFromConsole'),
  { name: 'edgeDeviceDetails', type: 'json' },
  struct('tlsDetails', [s('tlsVersion'), s('cipherSuite'), s('clientProvidedHostHeader')]),
];

/** The projected partition keys, in the order of the S3 path. */
export const PARTITION_COLUMNS = ['account', 'region', 'timestamp'] as const;

/** `2026-03-01T10:00:00Z` → `2026/03/01`: the `timestamp` partition value of a UTC day. */
export const partitionDay = (ms: number): string =>
  new Date(ms).toISOString().slice(0, 10).replaceAll('-', '/');

function hiveType(type: ColumnType, indent: string): string {
  if (type === 'string' || type === 'json' || type === 'boolean') return 'STRING';
  if ('map' in type) return 'MAP<STRING,STRING>';
  const inner = indent + '    ';
  const fields = ('struct' in type ? type.struct : type.array)
    .map((c) => `${inner}${c.name.toLowerCase()}: ${hiveType(c.type, inner)}`)
    .join(',\n');
  const body = `STRUCT<\n${fields}>`;
  return 'struct' in type ? body : `ARRAY<${body}>`;
}

/**
 * The `CREATE EXTERNAL TABLE` to run once in Athena for an organisation trail's bucket, e.g.
 * `cloudTrailTableDdl({ table: 'cloudtrail.logs', location: 's3://trail-bucket/AWSLogs/o-abc123',
 * accounts: ['123456789012'], regions: ['us-east-1', 'eu-west-1'], since: '2024/01/01' })`.
 */
export function cloudTrailTableDdl(options: {
  table: string;
  /** Up to and including the organisation id (or the account id of a single-account trail). */
  location: string;
  accounts: string[];
  regions: string[];
  since: string;
}): string {
  const columns = CLOUDTRAIL_COLUMNS.map(
    (c) => `    ${c.name.toLowerCase()} ${hiveType(c.type, '    ')}`,
  ).join(',\n');
  const location = options.location.replace(/\/+$/, '');
  return `CREATE EXTERNAL TABLE ${options.table} (
${columns}
)
PARTITIONED BY (account STRING, region STRING, \`timestamp\` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${location}'
TBLPROPERTIES (
    'projection.enabled'='true',
    'projection.account.type'='enum',
    'projection.account.values'='${options.accounts.join(',')}',
    'projection.region.type'='enum',
    'projection.region.values'='${options.regions.join(',')}',
    'projection.timestamp.type'='date',
    'projection.timestamp.format'='yyyy/MM/dd',
    'projection.timestamp.interval'='1',
    'projection.timestamp.interval.unit'='DAYS',
    'projection.timestamp.range'='${options.since},NOW',
    'storage.location.template'='${location}/\${account}/CloudTrail/\${region}/\${timestamp}'
)`;
}
