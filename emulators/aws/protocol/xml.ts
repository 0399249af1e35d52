/**
 * AWS Query protocol output: XML whose element names are the API's member names, lists as
 * `<member>` children, timestamps as ISO 8601 and booleans as `true`/`false`.
 */
export type XmlValue = string | number | boolean | Date | undefined | XmlValue[] | XmlObject;
export interface XmlObject {
  [member: string]: XmlValue;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** IAM and STS send whole seconds: `2026-03-01T10:00:00Z`. */
export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function render(value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof Date) return isoSeconds(value);
  if (Array.isArray(value)) return value.map((v) => `<member>${render(v)}</member>`).join('');
  if (typeof value === 'object') return elements(value);
  return escapeXml(String(value));
}

function elements(object: XmlObject): string {
  return Object.entries(object)
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => `<${name}>${render(v)}</${name}>`)
    .join('');
}

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…` as the SDK unwraps it. */
export function queryResponse(
  action: string,
  namespace: string,
  result: XmlObject | undefined,
  requestId: string,
): string {
  const body = result === undefined ? '' : `<${action}Result>${elements(result)}</${action}Result>`;
  return (
    `<${action}Response xmlns="${namespace}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function queryError(
  namespace: string,
  error: { type: string; code: string; message: string },
  requestId: string,
): string {
  return (
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
