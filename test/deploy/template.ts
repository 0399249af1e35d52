import { readFileSync } from 'node:fs';
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
