/**
 * The customer-managed policy a grant creates: the requested statements, each bounded by
 * `aws:CurrentTime` conditions so IAM itself stops honouring it at expiry, plus the tags the
 * revoker reads.
 */
import type { GrantWindow, PermissionStatement } from '../domain.js';
import { error, fail, ok, type Problem, type Result } from '../problem.js';
import { canonicalAction } from './actions.js';
import { statementFindings, textFindings } from './text.js';

export type Conditions = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition: Conditions;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface BuiltPolicy {
  /** `jit-<request id>`. */
  name: string;
  path: typeof POLICY_PATH;
  document: PolicyDocument;
  /** The document minified, as sent to IAM. */
  json: string;
  /** Characters IAM counts against the managed policy limit (whitespace excluded). */
  size: number;
  tags: Tag[];
  description: string;
}

export interface BuildInput {
  requestId: string;
  requester: string;
  principalArn: string;
  statements: PermissionStatement[];
  window: GrantWindow;
  pr?: number;
}

export const POLICY_PATH = '/jit/';
export const MANAGED_POLICY_LIMIT = 6144;
const TAG_VALUE_LIMIT = 256;
const DESCRIPTION_LIMIT = 1000;

export const policyName = (requestId: string): string => `jit-${requestId}`;

/** IAM's date format for conditions: ISO 8601 to the second, UTC. */
export const iamTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function buildPolicy(input: BuildInput): Result<BuiltPolicy> {
  const { window } = input;
  // The requester's file and the config are checked when parsed; this is the last gate before
  // IAM for any other caller: nothing hidden or look-alike goes into a policy.
  const { findings, check } = textFindings();
  input.statements.forEach((statement, i) =>
    statementFindings(statement, `permissions[${i}]`, check),
  );
  const problems: Problem[] = findings.map((f) => error(f.path, f.message));
  const statements = input.statements.map((statement, i): PolicyStatement => {
    problems.push(...windowOverrides(statement.conditions ?? {}, `permissions[${i}].conditions`));
    return {
      Sid: `Jit${i}`,
      Effect: 'Allow',
      Action: statement.actions.map(canonicalAction),
      Resource: [...statement.resources],
      Condition: withWindow(statement.conditions ?? {}, window),
    };
  });
  if (problems.length > 0) return fail(problems);

  const document: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  const json = JSON.stringify(document);
  const size = json.replace(/\s/g, '').length;
  if (size > MANAGED_POLICY_LIMIT)
    return fail([
      error(
        'permissions',
        `the policy would be ${size} characters, ${size - MANAGED_POLICY_LIMIT} over IAM's ${MANAGED_POLICY_LIMIT}-character limit for a managed policy: use fewer statements (merge those with the same resources) or wildcards such as s3:Get* instead of long action lists`,
      ),
    ]);

  return ok({
    name: policyName(input.requestId),
    path: POLICY_PATH,
    document,
    json,
    size,
    tags: tags(input),
    description: description(input),
  });
}

/**
 * The window is the enforcement, so the requester may not write their own `aws:CurrentTime`
 * condition: a duplicate key under the same operator could replace ours. Any use is refused,
 * since other operators on it can only repeat what start and duration already say.
 */
function windowOverrides(conditions: Conditions, path: string): Problem[] {
  return Object.entries(conditions).flatMap(([operator, block]) =>
    Object.keys(block)
      .filter((key) => key.toLowerCase() === 'aws:currenttime')
      .map((key) =>
        error(
          `${path}.${operator}`,
          `\`${key}\` is set by the grant window: request a start and durationMinutes instead`,
        ),
      ),
  );
}

function withWindow(conditions: Conditions, window: GrantWindow): Conditions {
  const merged: Conditions = structuredClone(conditions);
  const add = (operator: string, value: string) => {
    const existing = Object.keys(merged).find((k) => k.toLowerCase() === operator.toLowerCase());
    merged[existing ?? operator] = { ...merged[existing ?? operator], 'aws:CurrentTime': value };
  };
  add('DateGreaterThan', iamTime(window.start));
  add('DateLessThan', iamTime(window.expiry));
  return merged;
}

/** IAM tag values allow letters, spaces, digits and `_.:/=+-@`; anything else becomes `_`. */
const tagValue = (value: string): string =>
  value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, TAG_VALUE_LIMIT);

function tags(input: BuildInput): Tag[] {
  const pairs: [string, string][] = [
    ['jit:request', input.requestId],
    ['jit:requester', input.requester],
    ['jit:principal', input.principalArn],
    ['jit:start', iamTime(input.window.start)],
    ['jit:expiry', iamTime(input.window.expiry)],
  ];
  if (input.pr !== undefined) pairs.push(['jit:pr', String(input.pr)]);
  return pairs.map(([Key, value]) => ({ Key, Value: tagValue(value) }));
}

/** Policy descriptions take tab, newlines and U+0020..U+00FF only. */
function description(input: BuildInput): string {
  const pr = input.pr === undefined ? '' : ` (PR #${input.pr})`;
  const text = `jit-access grant ${input.requestId} for ${input.requester}, valid ${iamTime(input.window.start)} to ${iamTime(input.window.expiry)}${pr}`;
  return text.replace(/[^\t\n\r\u0020-\u00ff]/g, '_').slice(0, DESCRIPTION_LIMIT);
}
