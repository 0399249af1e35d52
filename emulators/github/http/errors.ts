/** An error answered the way GitHub does: `{ message, documentation_url, status }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    /** Response headers the error carries, such as `retry-after`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const DOCS = 'https://docs.github.com/rest';

/** GitHub sends `status` as a string in error bodies. */
export function errorBody(error: HttpError): Record<string, unknown> {
  return {
    message: error.message,
    ...error.extra,
    documentation_url: DOCS,
    status: String(error.status),
  };
}

export const notFound = (): HttpError => new HttpError(404, 'Not Found');

export function validationFailed(
  resource: string,
  field: string,
  code = 'missing_field',
): HttpError {
  return new HttpError(422, 'Validation Failed', { errors: [{ resource, field, code }] });
}
