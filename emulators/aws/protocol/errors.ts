/**
 * An error answered with AWS's code, HTTP status and message. `type` is the Query protocol's
 * Sender/Receiver fault; JSON protocols carry only the code.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members some JSON errors carry (Identity Store's `ResourceType`, `ResourceId`). */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }

  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export const noSuchEntity = (message: string): AwsError =>
  new AwsError('NoSuchEntity', message, 404);

export const alreadyExists = (message: string): AwsError =>
  new AwsError('EntityAlreadyExists', message, 409);

export const limitExceeded = (message: string): AwsError =>
  new AwsError('LimitExceeded', message, 409);

export const deleteConflict = (message: string): AwsError =>
  new AwsError('DeleteConflict', message, 409);

export const invalidInput = (message: string): AwsError => new AwsError('InvalidInput', message);

export const accessDenied = (message: string): AwsError =>
  new AwsError('AccessDenied', message, 403);

/** What Smithy's validation says when a required member is missing or out of range. */
export const validationError = (member: string, constraint: string, value: unknown): AwsError =>
  new AwsError(
    'ValidationError',
    `1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value)}'`} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
