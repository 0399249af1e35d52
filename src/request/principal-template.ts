/**
 * Principal templates: one line names everybody's IAM principal (or Identity Center user name)
 * instead of one line per person and account. Placeholders are `{login}` (the GitHub login as
 * the config spells it) and `{accountId}`.
 */

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The placeholder names a template uses, e.g. `['accountId', 'login']`. */
export const templatePlaceholders = (template: string): string[] =>
  [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);

export function applyTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name]! : whole,
  );
}

/**
 * An Identity Center role: under `/aws-reserved/sso.amazonaws.com/` or named `AWSReservedSSO_*`
 * (IAM role names are case-insensitive).
 */
export const reservedSsoRole = (arn: string): boolean =>
  /^arn:[^:]+:iam::[^:]*:role\/(?:aws-reserved\/sso\.amazonaws\.com\/|(?:[^/]*\/)*awsreservedsso_)/i.test(
    arn,
  );
