import * as core from '@actions/core';
import { Octokit } from '@octokit/rest';
import { readFile } from 'node:fs/promises';
import type { JitConfig } from '../../src/domain.js';
import { annotationProperties } from '../../src/report/annotations.js';
import { parseConfig } from '../../src/request/parse-config.js';

/**
 * What every jit-access action reads the same way: the organisation config from the checkout of
 * the base or default branch, a REST client for this repository, and the identity it comments as.
 */
export async function configInput(whyItMatters: string): Promise<JitConfig> {
  const path = core.getInput('config') || 'jit.config.yaml';
  const config = parseConfig(await readFile(path, 'utf8'), path);
  if (!config.ok) {
    for (const p of config.problems) core.error(p.message, annotationProperties(p));
    throw new Error(`${path} is invalid: ${whyItMatters}`);
  }
  return config.value;
}

export function octokitInput(): Octokit {
  return new Octokit({
    auth: core.getInput('github-token', { required: true }),
    baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com',
  });
}

/** Only comments by this login are ours: a user pasting our marker cannot steer the action. */
export const commentAuthorInput = (): string =>
  core.getInput('comment-author') || 'github-actions[bot]';
