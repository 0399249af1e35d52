import { accountClients } from '../../src/aws/clients.js';
import { REPO, type World } from './world.js';

/**
 * The broker role through GitHub OIDC, as a job of grant.yml or revoke.yml holds it in the
 * `jit-grant` environment: for tests that run a reconciler in process instead of the built action.
 */
export function brokerClients(
  w: Pick<World, 'aws' | 'gh'>,
  workflow: 'grant' | 'revoke',
  eventName: string,
) {
  return accountClients({
    getIdToken: () =>
      w.gh.oidc.mint(
        {
          repository: REPO,
          eventName,
          workflowPath: `.github/workflows/${workflow}.yml`,
          environment: 'jit-grant',
        },
        'sts.amazonaws.com',
      ),
    region: 'us-east-1',
    sessionName: `jit-${workflow}-e2e`,
    endpoint: w.aws.url,
    now: () => w.aws.clock.now().getTime(),
  });
}
