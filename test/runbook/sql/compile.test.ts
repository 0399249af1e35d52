import type { EventQuery } from '../../../src/runbook/event.js';
import type { GroupQuery, Where } from '../../../src/runbook/model.js';
import { cloudTrailTableDdl } from '../../../src/runbook/sql/cloudtrail-table.js';
import { parsePrincipal } from '../../../src/runbook/principal.js';
import {
  athenaLiteral,
  compileEvents,
  compileGroup,
  globToLike,
  sqlField,
  tableName,
} from '../../../src/runbook/sql/compile.js';

const NOW = new Date('2026-03-31T12:00:00Z');
const ALICE = 'arn:aws:iam::123456789012:user/alice';
const events: EventQuery = {
  from: new Date('2026-03-01T12:00:00Z'),
  to: NOW,
  principal: parsePrincipal(ALICE),
};

const group = (where: Where, groupBy = ['eventName'], extra: Partial<GroupQuery> = {}) =>
  ({
    kind: 'group',
    id: 'q',
    title: 'q',
    actor: 'principal',
    where,
    groupBy,
    series: false,
    ...extra,
  }) as GroupQuery;

describe('paths', () => {
  it('maps CloudTrail paths to the documented columns, structs and JSON text', () => {
    expect(sqlField('eventSource')).toEqual({
      path: 'eventSource',
      sql: 'eventsource',
      kind: 'string',
    });
    expect(sqlField('userIdentity.sessionContext.sessionIssuer.arn')?.sql).toBe(
      'useridentity.sessioncontext.sessionissuer.arn',
    );
    expect(sqlField('requestParameters.policyArn')).toEqual({
      path: 'requestParameters.policyArn',
      sql: "json_extract_scalar(requestparameters, '$.policyArn')",
      kind: 'json-scalar',
      json: "json_format(json_extract(requestparameters, '$.policyArn'))",
    });
    expect(sqlField('additionalEventData.MFAUsed')?.sql).toBe(
      "json_extract_scalar(additionaleventdata, '$.MFAUsed')",
    );
    expect(sqlField('readOnly')?.kind).toBe('boolean');
  });

  it('has no column for paths the table lacks, or spelt otherwise than CloudTrail does', () => {
    for (const path of [
      'useridentity.arn',
      'userIdentity.nope',
      'requestParameters',
      "requestParameters.a'b",
      'requestParameters.a-b',
      'resources',
      'userIdentity',
      'eventSource.x',
    ])
      expect(sqlField(path)).toBeUndefined();
  });

  it('quotes a table name made of letters, digits and _ only', () => {
    expect(tableName('cloudtrail.Logs_2')).toBe('"cloudtrail"."logs_2"');
    for (const bad of ['logs', 'a.b.c', 'a.b; DROP TABLE x', 'a."b"', 'a.b--'])
      expect(() => tableName(bad)).toThrow(/DATABASE.TABLE/);
  });
});

describe('values are parameters', () => {
  const hostile = `o'brien' OR 1=1 --`;

  it('never puts a value in the SQL text: the text depends only on the runbook structure', () => {
    const a = compileGroup(
      'db.t',
      group([{ path: 'userIdentity.userName', condition: { kind: 'in', values: ['alice'] } }]),
      events,
      NOW,
    )!;
    const b = compileGroup(
      'db.t',
      group([{ path: 'userIdentity.userName', condition: { kind: 'in', values: [hostile] } }]),
      { ...events, principal: parsePrincipal(`arn:aws:iam::123456789012:user/${hostile}`) },
      NOW,
    )!;
    expect(b.sql).toBe(a.sql);
    expect(b.sql).not.toContain('brien');
    expect(b.sql).not.toContain('--');
    expect(b.params).toContain(hostile);
    expect(b.params).toContain(`arn:aws:iam::123456789012:user/${hostile}`);
    expect(b.sql.split('?').length - 1).toBe(b.params.length);
  });

  it('quotes a value as one SQL string literal for ExecutionParameters', () => {
    expect(athenaLiteral(hostile)).toBe(`'o''brien'' OR 1=1 --'`);
    expect(athenaLiteral("'; DROP TABLE x; --")).toBe(`'''; DROP TABLE x; --'`);
    // Every quote doubled, so the literal's only lone quotes are its first and last character.
    const inner = athenaLiteral(`a'''b`).slice(1, -1);
    expect(inner.replaceAll("''", '')).not.toContain("'");
  });

  it('binds the events query the same way', () => {
    const q = compileEvents('db.t', {
      ...events,
      principal: parsePrincipal(`arn:aws:iam::1:user/${hostile}`),
      includeActsOn: true,
    });
    expect(q.sql).not.toContain('brien');
    expect(q.params).toContain(hostile); // the user name, for policy attachments on the user
    expect(q.sql.split('?').length - 1).toBe(q.params.length);
  });
});

describe('conditions', () => {
  const where = (w: Where) => compileGroup('db.t', group(w), events, NOW)!;

  it('compiles in, null, prefix, like, present, time and not, each two-valued', () => {
    const q = where([
      { path: 'errorCode', condition: { kind: 'in', values: ['A', null] } },
      { path: 'eventSource', condition: { kind: 'prefix', values: ['s3.'] } },
      { path: 'errorCode', condition: { kind: 'like', patterns: ['*Denied_%*'] } },
      { path: 'errorMessage', condition: { kind: 'present', present: false } },
      { path: 'eventTime', condition: { kind: 'time', withinMs: 86_400_000 } },
      { path: 'eventName', condition: { kind: 'not', condition: { kind: 'in', values: ['X'] } } },
    ]);
    expect(q.sql).toContain('COALESCE((errorcode IS NULL OR errorcode IN (?)), FALSE)');
    expect(q.sql).toContain('COALESCE((starts_with(eventsource, ?)), FALSE)');
    expect(q.sql).toContain("COALESCE((errorcode LIKE ? ESCAPE '\\'), FALSE)");
    expect(q.sql).toContain('COALESCE(errormessage IS NULL, FALSE)');
    expect(q.sql).toContain(
      'COALESCE((from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp(?)), FALSE)',
    );
    expect(q.sql).toContain('COALESCE(NOT COALESCE((eventname IN (?)), FALSE), FALSE)');
    expect(q.params).toEqual(
      expect.arrayContaining(['A', 's3.', '%Denied\\_\\%%', '2026-03-30T12:00:00.000Z', 'X']),
    );
  });

  it('compares values as values: a string never equals readOnly, a boolean never a string', () => {
    expect(
      where([{ path: 'readOnly', condition: { kind: 'in', values: [true] } }]).params,
    ).toContain('true');
    expect(
      where([{ path: 'readOnly', condition: { kind: 'in', values: ['true'] } }]).sql,
    ).toContain('COALESCE(FALSE, FALSE)');
    expect(where([{ path: 'eventName', condition: { kind: 'in', values: [true] } }]).sql).toContain(
      'COALESCE(FALSE, FALSE)',
    );
  });

  it('turns IAM globs into LIKE patterns with LIKE’s own characters escaped', () => {
    expect(globToLike('*AccessDenied*')).toBe('%AccessDenied%');
    expect(globToLike('a?b')).toBe('a_b');
    expect(globToLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});

describe('group queries', () => {
  it('aggregate per group, per day for series, with the earliest time for firstSeen', () => {
    const q = compileGroup(
      'db.t',
      group([], ['awsRegion'], { series: true, firstSeen: { recentMs: 7 * 86_400_000 } }),
      events,
      NOW,
    )!;
    expect(q.sql).toMatch(
      /^SELECT g0, event_day, min_by\(eventtime, from_iso8601_timestamp\(eventtime\)\) AS first_seen, count\(\*\) AS n FROM \(SELECT awsregion AS g0, CASE .* END AS event_day, eventtime FROM "db"."t" WHERE /,
    );
    expect(q.sql).toMatch(/ GROUP BY g0, event_day$/);
  });

  it('prune the timestamp partition to the window (a day more for late delivery) and regions', () => {
    const q = compileGroup('db.t', group([]), { ...events, regions: ['eu-west-1'] }, NOW)!;
    expect(q.sql).toContain('"timestamp" BETWEEN ? AND ?');
    expect(q.params.slice(0, 2)).toEqual(['2026/03/01', '2026/04/01']);
    expect(q.sql).toContain('region IN (?, ?)');
    expect(q.params).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1']));
  });

  it('are left to the client when a path is not a column', () => {
    expect(compileGroup('db.t', group([], ['resources']), events, NOW)).toBeUndefined();
    expect(
      compileGroup(
        'db.t',
        group([{ path: 'tlsDetails.nope', condition: { kind: 'present', present: true } }]),
        events,
        NOW,
      ),
    ).toBeUndefined();
  });
});

it('writes the documented CloudTrail table with partition projection', () => {
  const ddl = cloudTrailTableDdl({
    table: 'cloudtrail.logs',
    location: 's3://trail-bucket/AWSLogs/o-abc123/',
    accounts: ['123456789012'],
    regions: ['us-east-1', 'eu-west-1'],
    since: '2024/01/01',
  });
  expect(ddl).toContain('useridentity STRUCT<');
  expect(ddl).toContain('eventtime STRING');
  expect(ddl).toContain('requestparameters STRING');
  expect(ddl).toContain('resources ARRAY<STRUCT<');
  expect(ddl).toContain("'projection.timestamp.format'='yyyy/MM/dd'");
  expect(ddl).toContain(
    "'storage.location.template'='s3://trail-bucket/AWSLogs/o-abc123/${account}/CloudTrail/${region}/${timestamp}'",
  );
});
