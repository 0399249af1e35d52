import { randomBytes, randomUUID } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(length: number): string {
  return Array.from(randomBytes(length), (b) => BASE32[b % 32]).join('');
}

/**
 * IAM unique ids and access keys: a four-letter prefix naming the kind (AIDA user, AROA role,
 * AGPA group, ANPA managed policy, AKIA long-term key, ASIA session key) and 17 characters, the
 * shape tools parse to tell what an id is.
 */
export type IdPrefix = 'AIDA' | 'AROA' | 'AGPA' | 'ANPA' | 'AKIA' | 'ASIA';

export const newId = (prefix: IdPrefix): string => `${prefix}${base32(17)}`;

export const newSecret = (): string => randomBytes(30).toString('base64');

/** Session tokens are opaque and long in AWS; clients only echo them back. */
export const newSessionToken = (): string =>
  `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`;

export const newRequestId = (): string => randomUUID();
