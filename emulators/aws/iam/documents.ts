import { validateIdentityPolicy } from '@cloud-copilot/iam-policy';
import { AwsError, limitExceeded } from '../protocol/errors.js';
import type { PolicyDocument } from '../state.js';

/** Managed policy documents may hold 6,144 characters, whitespace not counted. */
export const MANAGED_POLICY_SIZE = 6144;

/**
 * Checks a managed policy document as IAM does on CreatePolicy/CreatePolicyVersion: the size
 * quota first, then JSON syntax, then the identity-policy grammar (Effect, Action, Resource,
 * no Principal), with AWS's error codes.
 */
export function checkPolicyDocument(text: string): PolicyDocument {
  if (text.replace(/\s/g, '').length > MANAGED_POLICY_SIZE)
    throw limitExceeded(`Cannot exceed quota for PolicySize: ${MANAGED_POLICY_SIZE}`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw malformed('Syntax errors in policy.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw malformed('Syntax errors in policy.');
  const version = (document as PolicyDocument).Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17')
    throw malformed('The policy failed legacy parsing');
  const [first] = validateIdentityPolicy(document);
  if (first) {
    throw malformed(
      first.path.includes('Principal')
        ? 'Policy document should not specify a principal.'
        : `${first.message} (${first.path})`,
    );
  }
  return document as PolicyDocument;
}

const malformed = (message: string): AwsError => new AwsError('MalformedPolicyDocument', message);
