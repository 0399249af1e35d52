import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

export const ACCOUNT = '123456789012';
export const PARAMS: Record<string, string> = {
  GitHubOrg: 'acme',
  GitHubRepo: 'access',
  GitHubRepositoryId: '424242',
  PrincipalPathPrefix: '/people/',
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': 'aws',
};

type Node = unknown;

/** Resolves the template's `Ref` and `Fn::Sub` the way CloudFormation would, for the tests. */
export function resolve(node: Node, params: Record<string, string> = PARAMS): Node {
  if (Array.isArray(node)) return node.map((n) => resolve(n, params));
  if (node && typeof node === 'object') {
    const obj = node as Record<string, Node>;
    if ('Ref' in obj) return params[String(obj.Ref)] ?? `<${String(obj.Ref)}>`;
    if ('Fn::Sub' in obj) {
      return String(obj['Fn::Sub']).replace(/\$\{([\w:]+)\}/g, (_, name: string) => {
        const value = params[name];
        if (value === undefined) throw new Error(`no parameter ${name}`);
        return value;
      });
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolve(v, params)]));
  }
  return node;
}

interface RoleResource {
  Properties: {
    RoleName: string;
    Path: string;
    AssumeRolePolicyDocument: Record<string, unknown>;
    Policies: { PolicyName: string; PolicyDocument: Record<string, unknown> }[];
  };
}

export function role(logicalId: 'BrokerRole' | 'RunbookRole', params = PARAMS): RoleResource {
  const template = load(readFileSync('deploy/jit-access.yaml', 'utf8')) as {
    Resources: Record<string, unknown>;
  };
  return resolve(template.Resources[logicalId], params) as RoleResource;
}
