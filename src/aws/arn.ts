/** The IAM principal a grant attaches to, read from its ARN. */
export interface IamPrincipal {
  kind: 'user' | 'role';
  accountId: string;
  /** The name IAM's Attach/Detach calls take: the last path segment. */
  name: string;
  arn: string;
}

const PRINCIPAL =
  /^arn:aws[a-z-]*:iam::(\d{12}):(user|role)\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,128})$/;

/** Undefined for anything but an IAM user or role ARN (config parsing already checked them). */
export function parsePrincipalArn(arn: string): IamPrincipal | undefined {
  const m = PRINCIPAL.exec(arn);
  if (!m) return undefined;
  return { accountId: m[1]!, kind: m[2] as 'user' | 'role', name: m[3]!, arn };
}

/** `arn:aws:iam::<account>:policy/jit/jit-<id>`: the only policies jit-access creates. */
export const policyArn = (accountId: string, path: string, name: string): string =>
  `arn:aws:iam::${accountId}:policy${path}${name}`;
