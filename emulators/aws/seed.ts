import type { AwsState, Credential } from './state.js';
import { AWS_MANAGED } from './state.js';

export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const READ_ONLY_ACCESS = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/**
 * What every emulated account starts with: the two AWS managed policies tests reach for, and an
 * administrator with an access key flagged to bypass authorisation, for test setup.
 * ReadOnlyAccess is abridged: AWS's own runs to thousands of actions.
 */
export function seedDefaults(state: AwsState): Credential {
  state.addManagedPolicy({
    accountId: AWS_MANAGED,
    name: 'AdministratorAccess',
    description: 'Provides full access to AWS services and resources.',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    },
  });
  state.addManagedPolicy({
    accountId: AWS_MANAGED,
    name: 'ReadOnlyAccess',
    description: 'Provides read-only access to AWS services and resources.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['*:Describe*', '*:Get*', '*:List*', 'cloudtrail:LookupEvents'],
          Resource: '*',
        },
      ],
    },
  });
  state.addUser({ name: 'emulator-admin', managedPolicyArns: [ADMINISTRATOR_ACCESS] });
  return state.addAccessKey({ userName: 'emulator-admin', admin: true });
}
