import { load } from 'js-yaml';

/** The parameters `deploy/jit-access.yaml` takes, plus the pseudo-parameters it uses. */
export type TemplateParams = Record<string, string>;

/** Resolves the template's `Ref` and `Fn::Sub` the way CloudFormation would. */
export function resolve(node: unknown, params: TemplateParams): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(n, params));
  if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
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

export interface RoleResource {
  Properties: {
    RoleName: string;
    Path: string;
    AssumeRolePolicyDocument: Record<string, unknown>;
    Policies: { PolicyName: string; PolicyDocument: Record<string, unknown> }[];
  };
}

/** One of the template's roles, resolved for an account. */
export function templateRole(
  templateText: string,
  logicalId: 'BrokerRole' | 'RunbookRole',
  params: TemplateParams,
): RoleResource {
  // Our own template, written with long-form intrinsics so a plain YAML load reads it.
  const template = load(templateText) as {
    Parameters: Record<string, { Default?: string }>;
    Resources: Record<string, unknown>;
  };
  // Parameters left out take their Default, as CloudFormation does.
  const defaults = Object.fromEntries(
    Object.entries(template.Parameters).flatMap(([name, p]) =>
      p.Default === undefined ? [] : [[name, p.Default]],
    ),
  );
  return resolve(template.Resources[logicalId], { ...defaults, ...params }) as RoleResource;
}

/** One of the template's `AWS::IAM::RolePolicy` resources, resolved for an account. */
export function templateRolePolicy(
  templateText: string,
  logicalId: 'BrokerAthenaPolicy',
  params: TemplateParams,
): RoleResource['Properties']['Policies'][number] {
  const template = load(templateText) as { Resources: Record<string, unknown> };
  const resource = resolve(template.Resources[logicalId], params) as {
    Properties: RoleResource['Properties']['Policies'][number];
  };
  return {
    PolicyName: resource.Properties.PolicyName,
    PolicyDocument: resource.Properties.PolicyDocument,
  };
}

/** The part of the AWS emulator a template role is created in. */
interface RoleTarget<R> {
  addRole(init: {
    accountId?: string;
    name: string;
    path: string;
    trustPolicy: Record<string, unknown>;
    inlinePolicies: Record<string, Record<string, unknown>>;
  }): R;
}

/**
 * Creates a template role in an emulated account with its own trust and permission policies;
 * only GitHub's issuer host is swapped for the emulator's (`providerUrl`, as IAM names it).
 */
export function installRole<R>(
  state: RoleTarget<R>,
  role: RoleResource,
  providerUrl: string,
  accountId?: string,
): R {
  const trust = JSON.stringify(role.Properties.AssumeRolePolicyDocument).replaceAll(
    'token.actions.githubusercontent.com',
    providerUrl,
  );
  return state.addRole({
    ...(accountId ? { accountId } : {}),
    name: role.Properties.RoleName,
    path: role.Properties.Path,
    trustPolicy: JSON.parse(trust) as Record<string, unknown>,
    inlinePolicies: Object.fromEntries(
      role.Properties.Policies.map((p) => [p.PolicyName, p.PolicyDocument]),
    ),
  });
}
