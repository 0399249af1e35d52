import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import type { JitConfig } from '../../src/domain.js';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.js';
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

/**
 * A REST client that waits out GitHub's 5xx and rate limits a bounded number of times, each
 * wait a workflow warning. `JIT_GITHUB_TEST_TIMING=fast` (set only by the test runner against
 * the emulator) makes those waits milliseconds and drops write pacing.
 */
export function octokitInput(input = 'github-token'): GitHubClient {
  return createGitHubClient({
    auth: core.getInput(input, { required: true }),
    baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com',
    // Retries and rate limits become workflow warnings; failed requests stay plain log lines
    // (an expected 404 is no annotation), as with Octokit's default logger.
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => core.warning(m),
      error: (m: string) => console.error(m),
    },
    ...(process.env.JIT_GITHUB_TEST_TIMING === 'fast' && { testTiming: { msPerSecond: 1 } }),
  });
}

/** Only comments by this login are ours: a user pasting our marker cannot steer the action. */
export const commentAuthorInput = (): string =>
  core.getInput('comment-author') || 'github-actions[bot]';
