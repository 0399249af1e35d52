/**
 * `jit doctor --aws`: what the config's `identityCenter` block claims, checked against what AWS
 * answers to the operator's own credentials. Each mismatch is a grant that would be delayed at
 * merge time (an unknown instance or user), found before anyone waits on it.
 */
import { GetUserIdCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  ListInstancesCommand,
  type InstanceMetadata,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { isAwsError, messageOf } from '../aws/errors.js';
import type { IdentityCenter, JitConfig } from '../domain.js';
import { applyTemplate } from '../request/principal-template.js';
import type { Finding } from './checks.js';

export interface IdentityCenterReaders {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
}

/** Every finding about the config's Identity Center block; none without the block. */
export async function identityCenterFindings(
  config: JitConfig,
  clients: IdentityCenterReaders,
): Promise<Finding[]> {
  const ic = config.identityCenter;
  if (!ic) return [];
  let instances: InstanceMetadata[];
  try {
    instances = await listInstances(clients.ssoAdmin);
  } catch (e) {
    return [
      {
        id: 'identity-center-unreadable',
        severity: 'error',
        message: `sso:ListInstances in ${ic.region} failed: ${messageOf(e)}`,
        fix: `run with credentials of the Identity Center management or delegated administrator account that may call sso:ListInstances and identitystore:GetUserId, in region ${ic.region}`,
      },
    ];
  }
  const instance = instances.find((i) => i.InstanceArn === ic.instanceArn);
  if (!instance) {
    const seen = instances.map((i) => `${i.InstanceArn} (${i.IdentityStoreId})`).join(', ');
    return [
      {
        id: 'identity-center-instance-missing',
        severity: 'error',
        message: `no Identity Center instance ${ic.instanceArn} in ${ic.region} for these credentials${seen ? `; found ${seen}` : ''}`,
        fix: seen
          ? 'set identityCenter.instanceArn (and identityStoreId) to the instance found, or set identityCenter.region to the instance’s region'
          : 'enable IAM Identity Center (organisation instance), or set identityCenter.region to its region and run with credentials of its administrator account',
      },
    ];
  }
  const findings: Finding[] = [];
  if (instance.IdentityStoreId !== ic.identityStoreId) {
    findings.push({
      id: 'identity-center-store-mismatch',
      severity: 'error',
      message: `identityCenter.identityStoreId is ${ic.identityStoreId}, but instance ${ic.instanceArn} uses ${instance.IdentityStoreId ?? '?'}`,
      fix: `set identityCenter.identityStoreId: ${instance.IdentityStoreId ?? '<the instance’s identity store id>'}`,
    });
    // Users would be looked up in the wrong store: nothing more to learn from them.
    return findings;
  }
  for (const { login, userName } of configuredUsers(config, ic)) {
    try {
      await clients.identityStore.send(
        new GetUserIdCommand({
          IdentityStoreId: ic.identityStoreId,
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName },
          },
        }),
      );
    } catch (e) {
      findings.push(
        isAwsError(e, 'ResourceNotFoundException')
          ? {
              id: 'identity-center-user-unknown',
              severity: 'error',
              message: `${login}'s Identity Center user ${userName} is not in identity store ${ic.identityStoreId}: their grants would wait at merge time`,
              fix: `create or sync the user ${userName}, or set identityCenter.users.${login} to their user name`,
            }
          : {
              id: 'identity-center-unreadable',
              severity: 'error',
              message: `identitystore:GetUserId for ${userName} failed: ${messageOf(e)}`,
              fix: 'run with credentials that may call identitystore:GetUserId on the identity store',
            },
      );
    }
  }
  return findings;
}

/**
 * Every person the config gives an Identity Center user, as the grant resolves them: an explicit
 * `users` entry, else the `userName` template filled for a person the config names.
 */
function configuredUsers(
  config: JitConfig,
  ic: IdentityCenter,
): { login: string; userName: string }[] {
  const out = new Map<string, string>(Object.entries(ic.users));
  if (ic.userName !== undefined) {
    const named = [...Object.keys(config.principals), ...(config.people ?? [])];
    for (const login of named) {
      const known = [...out.keys()].some((k) => k.toLowerCase() === login.toLowerCase());
      if (!known) out.set(login, applyTemplate(ic.userName, { login }));
    }
  }
  return [...out].map(([login, userName]) => ({ login, userName }));
}

async function listInstances(sso: SSOAdminClient): Promise<InstanceMetadata[]> {
  const out: InstanceMetadata[] = [];
  let token: string | undefined;
  do {
    const page = await sso.send(new ListInstancesCommand(token ? { NextToken: token } : {}));
    out.push(...(page.Instances ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}
