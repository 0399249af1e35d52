import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import {
  resolve as resolveTemplate,
  templateRole,
  type RoleResource,
} from '../../src/demo/template.js';

export const ACCOUNT = '123456789012';
export const PARAMS: Record<string, string> = {
  GitHubOrg: 'acme',
  GitHubRepo: 'access',
  GitHubRepositoryId: '424242',
  PrincipalPathPrefix: '/people/',
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': 'aws',
};

/** Resolves the template's `Ref` and `Fn::Sub` the way CloudFormation would, for the tests. */
export const resolve = (node: unknown, params: Record<string, string> = PARAMS): unknown =>
  resolveTemplate(node, params);

export const role = (logicalId: 'BrokerRole' | 'RunbookRole', params = PARAMS): RoleResource =>
  templateRole(readFileSync('deploy/jit-access.yaml', 'utf8'), logicalId, params);

/** Where the Identity Center tests deploy: a delegated administrator, not the management account. */
export const MANAGEMENT_ACCOUNT = '111111111111';
export const WORKLOAD_ACCOUNT = '222222222222';
export const INSTANCE_ID = 'ssoins-0123456789abcdef';
export const IDENTITY_STORE_ID = 'd-0123456789';
/** Parameters of `deploy/jit-access-identity-center.yaml`; a list parameter is an array. */
export type IdentityCenterParams = Record<string, string | string[]>;
export const IC_PARAMS: IdentityCenterParams = {
  GitHubOrg: 'acme',
  GitHubRepo: 'access',
  GitHubRepositoryId: '424242',
  IdentityCenterInstanceId: INSTANCE_ID,
  IdentityStoreId: IDENTITY_STORE_ID,
  ManagementAccountId: MANAGEMENT_ACCOUNT,
  AllowedAccountIds: [WORKLOAD_ACCOUNT, '333333333333'],
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': 'aws',
};

export interface IdentityCenterTemplate {
  Parameters: Record<string, { Type: string; AllowedPattern?: string; Default?: string }>;
  Resources: Record<string, unknown>;
  Outputs: Record<string, unknown>;
}

export const identityCenterTemplate = (): IdentityCenterTemplate =>
  load(readFileSync('deploy/jit-access-identity-center.yaml', 'utf8')) as IdentityCenterTemplate;

/**
 * CloudFormation's Ref, Fn::Sub (both forms), Fn::Join and Fn::Split, as this template uses
 * them: a `CommaDelimitedList` parameter is a list, Fn::Sub substitutes only strings.
 */
export function evaluate(node: unknown, params: IdentityCenterParams): unknown {
  if (Array.isArray(node)) return node.map((n) => evaluate(n, params));
  if (!node || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  if ('Ref' in obj) {
    const value = params[String(obj.Ref)];
    if (value === undefined) throw new Error(`no parameter ${String(obj.Ref)}`);
    return value;
  }
  if ('Fn::Sub' in obj) {
    const arg = obj['Fn::Sub'];
    const [text, vars] = Array.isArray(arg) ? (arg as [string, object]) : [String(arg), {}];
    const scope = { ...params, ...(evaluate(vars, params) as IdentityCenterParams) };
    return text.replace(/\$\{([\w:]+)\}/g, (_, name: string) => {
      const value = scope[name];
      if (typeof value !== 'string') throw new Error(`no string parameter ${name}`);
      return value;
    });
  }
  if ('Fn::Join' in obj) {
    const [delimiter, list] = obj['Fn::Join'] as [string, unknown];
    const values = evaluate(list, params);
    if (!Array.isArray(values)) throw new Error('Fn::Join needs a list');
    return values.join(delimiter);
  }
  if ('Fn::Split' in obj) {
    const [delimiter, text] = obj['Fn::Split'] as [string, unknown];
    return String(evaluate(text, params)).split(delimiter);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, evaluate(v, params)]));
}

/** The Identity Center broker role, resolved for an account. */
export function identityCenterBroker(params = IC_PARAMS): RoleResource {
  const template = identityCenterTemplate();
  // Parameters left out take their Default, as CloudFormation does.
  const defaults = Object.fromEntries(
    Object.entries(template.Parameters).flatMap(([name, p]) =>
      p.Default === undefined ? [] : [[name, p.Default]],
    ),
  );
  return evaluate(template.Resources.BrokerRole, { ...defaults, ...params }) as RoleResource;
}
