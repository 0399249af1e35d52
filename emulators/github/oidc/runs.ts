import { randomBytes } from 'node:crypto';
import type { GitHubState } from '../state.js';
import { claimsFor, type RunContext } from './claims.js';
import type { OidcIssuer } from './issuer.js';

/**
 * Workflow runs known to the token endpoint, keyed by their request token
 * (`ACTIONS_ID_TOKEN_REQUEST_TOKEN`): the runner-side half of GitHub's OIDC.
 */
export class OidcRuns {
  private readonly runs = new Map<string, RunContext>();

  constructor(
    private readonly state: GitHubState,
    readonly issuer: OidcIssuer,
    /** `ACTIONS_ID_TOKEN_REQUEST_URL`: has a query already, as @actions/core appends `&audience=`. */
    private readonly tokenUrl: () => string,
  ) {}

  get requestUrl(): string {
    return this.tokenUrl();
  }

  registerRun(runToken: string, ctx: RunContext): void {
    this.state.repo(ctx.repository);
    this.runs.set(runToken, ctx);
  }

  /** The environment a runner gives a job with `id-token: write`, for a fresh run. */
  runEnv(
    ctx: RunContext,
  ): Record<'ACTIONS_ID_TOKEN_REQUEST_URL' | 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', string> {
    const runToken = randomBytes(24).toString('hex');
    this.registerRun(runToken, ctx);
    return {
      ACTIONS_ID_TOKEN_REQUEST_URL: this.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: runToken,
    };
  }

  run(runToken: string): RunContext | undefined {
    return this.runs.get(runToken);
  }

  /** Signs an ID token for a run context directly, bypassing HTTP. */
  mint(ctx: RunContext, audience?: string): Promise<string> {
    return this.issuer.sign(
      claimsFor(this.state, ctx, this.issuer.issuer, audience, this.state.clock()),
    );
  }
}
