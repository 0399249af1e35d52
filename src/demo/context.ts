import { Octokit } from '@octokit/rest';
import type { RunContext } from '../../emulators/github/oidc/claims.js';
import { accountClients } from '../aws/clients.js';
import type { JitConfig } from '../domain.js';
import type { Narrator } from './narrate.js';
import { AUDIENCE, REGION } from './scenario.js';
import type { DemoWorld } from './world.js';

/** What every step works with: the emulators, the organisation's config and the narration. */
export interface Demo {
  world: DemoWorld;
  config: JitConfig;
  /** The workflows' client: the `GITHUB_TOKEN` against the GitHub emulator. */
  octokit: Octokit;
  narrator: Narrator;
}

export const demoOctokit = (world: DemoWorld): Octokit =>
  new Octokit({ auth: world.token, baseUrl: world.gh.url });

/** ISO 8601 to the second, as CloudTrail and the policies write times. */
export const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `2026-11-25T09:00:00Z` → `09:00:00Z` when on the day `since` is, else the full time. */
export function clockTime(date: Date, since?: Date): string {
  const time = iso(date);
  return since && time.slice(0, 10) === iso(since).slice(0, 10) ? time.slice(11) : time;
}

/**
 * AWS clients as a workflow run gets them: an OIDC token minted for that workflow's identity,
 * exchanged at the emulator's STS for the broker role, exactly as on GitHub and AWS.
 */
export const workflowClients = (world: DemoWorld, run: RunContext, sessionName: string) =>
  accountClients({
    getIdToken: () => world.gh.oidc.mint(run, AUDIENCE),
    region: REGION,
    sessionName,
    endpoint: world.aws.url,
    // Sessions expire on the emulator's clock, not the machine's.
    now: () => world.aws.clock.now().getTime(),
  });

/** A comment's heading without its markdown: `✅ jit-access: valid, ready for review`. */
export const heading = (body: string): string =>
  (body.split('\n').find((l) => l.startsWith('## ')) ?? '').slice(3);
