import type { JitConfig } from '../domain.js';
import { useAccess } from './activity.js';
import { breakGlassStory } from './break-glass.js';
import { extensionStory } from './extend.js';
import { demoOctokit, type Demo } from './context.js';
import { checkAccess, runGrant } from './grant.js';
import { identityCenterStory } from './identity-center.js';
import { Narrator } from './narrate.js';
import { athenaUsage, passExpiry, runRevoke } from './revoke.js';
import { approveAndMerge, openRequest } from './request.js';
import { START } from './scenario.js';
import { showTrail } from './trail.js';
import { startDemoWorld } from './world.js';

export interface DemoInput {
  config: JitConfig;
  configText: string;
  requestText: string;
  templateText: string;
  /** Where the narration goes as it happens; none for `--json`. */
  print?: (text: string) => void;
}

/**
 * The whole life of a grant on the local emulators, then an extension and break-glass, narrated;
 * the narrator keeps the score.
 */
export async function runDemo(input: DemoInput): Promise<Narrator> {
  const narrator = new Narrator(input.print);
  const world = await startDemoWorld({ ...input, start: START });
  try {
    narrator.say(
      `jit demo: the whole life of a grant, an extension and break-glass, on local emulators (AWS ${world.aws.url}, GitHub ${world.gh.url})\n` +
        `Everything below is the real code the actions run, through the real AWS and GitHub clients.\n`,
    );
    const demo: Demo = { world, config: input.config, octokit: demoOctokit(world), narrator };
    await story(demo, input.requestText, input.templateText);
    // A story that ended before anything reached AWS has no trail to show.
    if (world.aws.state.cloudtrail.events.length > 0) showTrail(demo);
  } finally {
    await world.close();
  }
  return narrator;
}

/** Every story in turn; a step whose outcome later ones depend on ends its story when it fails. */
async function story(demo: Demo, requestText: string, templateText: string): Promise<void> {
  const requested = await openRequest(demo, requestText);
  if (!requested || !approveAndMerge(demo, requested)) return;
  const granted = await runGrant(demo, requested);
  if (!granted) return;
  checkAccess(demo, requested);
  await useAccess(demo, requested, granted);
  passExpiry(demo, requested, granted);
  const revoked = await runRevoke(demo, granted);
  if (revoked) await athenaUsage(demo, revoked, templateText);
  await extensionStory(demo);
  await breakGlassStory(demo);
  await identityCenterStory(demo, requestText);
}
