/**
 * Permissions that reach jit-access's own machinery in any account: the grant policies under
 * `/jit/`, the broker and runbook roles under `role/jit-access/` (deploy/jit-access.yaml) and the
 * GitHub OIDC provider they trust. Attaching and detaching policies carry this kind in
 * escalation.ts, since a request cannot narrow which policy they touch.
 */
import type { EscalationEntry } from '../escalation.js';
import { TIME_CONDITIONS, VERSIONS } from './risk-sources.js';

const DEPLOY =
  'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services';
const OIDC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html';
const WRITES = ['Write', 'Permissions management', 'Tagging'] as const;

export const JIT_ACCESS: readonly EscalationEntry[] = [
  ...[
    'iam:CreatePolicy',
    'iam:CreatePolicyVersion',
    'iam:SetDefaultPolicyVersion',
    'iam:DeletePolicyVersion',
    'iam:DeletePolicy',
    'iam:TagPolicy',
    'iam:UntagPolicy',
  ].map((action): EscalationEntry => ({
    actions: [action],
    resources: 'jit-policies',
    kinds: ['jit-access'],
    reason:
      'can create, rewrite, retag or delete jit grant policies (the path /jit/): forge a grant, drop its time conditions to keep it, or erase the record of other grants',
    sources: [TIME_CONDITIONS, VERSIONS],
  })),
  {
    // Every role-changing IAM action (and PassRole): one finding for the lot.
    actions: ['iam:*Role*'],
    levels: WRITES,
    resources: 'jit-roles',
    kinds: ['jit-access'],
    reason:
      "can change, pass or delete jit-access's broker and runbook roles (role/jit-access/): whoever controls the broker issues grants",
    sources: [DEPLOY, TIME_CONDITIONS],
  },
  {
    actions: ['iam:*OpenIDConnectProvider*'],
    levels: WRITES,
    resources: 'jit-oidc',
    kinds: ['jit-access'],
    reason:
      'can change or delete the GitHub OIDC provider the broker and runbook roles trust, breaking or redirecting who may act as jit-access',
    sources: [OIDC, DEPLOY],
  },
];
