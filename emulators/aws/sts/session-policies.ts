import { checkPolicyDocument } from '../iam/documents.js';
import { AwsError, validationError } from '../protocol/errors.js';
import { list, optionalString, type QueryParams } from '../protocol/query.js';
import type { PolicyDocument, SessionPolicies } from '../state.js';

/**
 * Session policies as STS takes them on AssumeRole* (API reference, `Policy` and `PolicyArns`):
 * an inline policy of at most 2,048 characters and up to 10 managed policy ARNs, "the plaintext
 * that you use for both inline and managed session policies can't exceed 2,048 characters", and
 * a packed (compressed) form with a limit of its own, refused as PackedPolicyTooLarge
 * (https://repost.aws/knowledge-center/iam-role-aws-sts-error).
 */
const PLAINTEXT_LIMIT = 2048;
const MAX_ARNS = 10;
/** `sessionPolicyDocumentType`: tab, newline, carriage return and \u0020–\u00FF. */
const policyCharacters = (text: string): boolean =>
  [...text].every((c) => c === '\t' || c === '\n' || c === '\r' || (c >= ' ' && c <= '\u00FF'));
/** A managed policy ARN: the account's own or AWS's. */
const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy\/.+$/;

export interface PassedPolicies {
  /** What CloudTrail records in `requestParameters`. */
  trail: { policy?: string; policyArns?: { arn: string }[] };
  /** The percentage STS reports as PackedPolicySize. */
  packedPercent: number;
  /** The session's policies for a role in `accountId`. */
  policies(accountId: string): SessionPolicies;
}

/** Undefined when the call passes none, so the session is the role's whole. */
export function sessionPoliciesOf(input: QueryParams): PassedPolicies | undefined {
  const text = optionalString(input, 'Policy');
  const arns = list(input, 'PolicyArns').map((item, i) => {
    const arn = typeof item === 'object' && !Array.isArray(item) ? item.arn : undefined;
    if (typeof arn !== 'string' || arn.length < 20 || arn.length > 2048)
      throw validationError(
        `policyArns.${i + 1}.member.arn`,
        'Member must have length greater than or equal to 20',
        arn,
      );
    return arn;
  });
  if (text === undefined && arns.length === 0) return undefined;
  if (arns.length > MAX_ARNS)
    throw validationError(
      'policyArns',
      `Member must have length less than or equal to ${MAX_ARNS}`,
      '[complex]',
    );
  let inline: PolicyDocument | undefined;
  if (text !== undefined) {
    if (text.length < 1 || text.length > PLAINTEXT_LIMIT)
      throw validationError(
        'policy',
        `Member must have length less than or equal to ${PLAINTEXT_LIMIT}`,
        text,
      );
    if (!policyCharacters(text))
      throw validationError(
        'policy',
        'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
        text,
      );
    inline = checkPolicyDocument(text);
  }
  // AWS's packing is not documented; the plaintext quota stands in for it, so the percentage
  // reported is the share of the 2,048 characters the inline policy and the ARNs use together.
  const plaintext = (text?.length ?? 0) + arns.reduce((n, arn) => n + arn.length, 0);
  const packedPercent = Math.ceil((plaintext / PLAINTEXT_LIMIT) * 100);
  if (packedPercent > 100)
    throw new AwsError(
      'PackedPolicyTooLarge',
      `Packed policy consumes ${packedPercent}% of allotted space, please use smaller policy.`,
    );
  return {
    trail: {
      ...(text !== undefined ? { policy: text } : {}),
      ...(arns.length > 0 ? { policyArns: arns.map((arn) => ({ arn })) } : {}),
    },
    packedPercent,
    // "The policies must exist in the same account as the role": another account's, or an ARN
    // that names no policy, allows nothing.
    policies: (accountId) => ({
      ...(inline ? { inline } : {}),
      managedArns: arns.filter((arn) => {
        const owner = POLICY_ARN.exec(arn)?.[1];
        return owner === 'aws' || owner === accountId;
      }),
    }),
  };
}
