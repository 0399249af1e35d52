import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { App } from '../apps.js';
import {
  allows,
  canSeeRepo,
  type Access,
  type Permission,
  type TokenGrant,
  type TokenStore,
} from '../auth.js';
import { NotFound } from '../state.js';
import { HttpError, errorBody, notFound } from './errors.js';
import type { Faults } from './faults.js';
import type { RateLimits } from './rate-limits.js';
import { requiredPermissions, type Requirement } from './permissions.js';

export interface RestRequest {
  method: string;
  /** Full URL of this request, as the client addressed it. */
  url: URL;
  /** REST base URL, for the `url` fields of rendered objects. */
  base: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** The caller's token, on token-authenticated routes. */
  grant?: TokenGrant;
  /** The App whose JWT authenticated the call, on `auth: 'app'` routes. */
  app?: App;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** `/repos/:owner/:repo/...`; a trailing `*name` captures the rest of the path. */
  path: string;
  /**
   * Only for endpoints GitHub's permission data (http/permissions.ts) does not list, with a
   * comment saying why; the data decides for every endpoint it knows. Any one entry suffices.
   */
  permissions?: [Permission, Access][];
  /**
   * Token authentication unless: `app`, a GitHub App's JWT (the App-level endpoints); `false`,
   * routes that are not the REST API (OIDC) and do their own.
   */
  auth?: false | 'app';
  handler(req: RestRequest): Reply | Promise<Reply>;
}

interface Compiled extends Route {
  pattern: RegExp;
  names: string[];
  required: Requirement[];
  /** Where `required` comes from: GitHub's data, or the route's own hand-written entry. */
  source: RouteInfo['source'];
}

/** A served route and the permission check it gets, for tests and docs. */
export interface RouteInfo {
  method: Route['method'];
  path: string;
  auth: 'token' | 'app' | 'none';
  required: Requirement[];
  source: 'github-data' | 'hand-written' | 'none';
}

export interface RouterOptions {
  tokens: TokenStore;
  clock: () => Date;
  base: () => string;
  /** Verifies an App JWT (`auth: 'app'` routes). */
  authenticateApp: (header: string | undefined) => Promise<App>;
  faults: Faults;
  /** Primary rate limits: every token-authenticated request counts. */
  rateLimits: RateLimits;
}

const MAX_BODY = 1024 * 1024;

export class Router {
  private readonly routes: Compiled[] = [];

  constructor(private readonly opts: RouterOptions) {}

  /**
   * Each token-authenticated route needs the permission GitHub's data names for its method and
   * path; a route the data lacks must carry its own `permissions`, or adding it fails.
   */
  add(...routes: Route[]): void {
    for (const route of routes) {
      const fromData = requiredPermissions(route.method, route.path);
      const required = fromData ?? route.permissions;
      if (!required && route.auth === undefined)
        throw new Error(
          `${route.method} ${route.path}: GitHub's permission data does not list it; give the route its permissions and say why`,
        );
      const source = fromData ? 'github-data' : route.permissions ? 'hand-written' : 'none';
      this.routes.push({ ...compile(route, required ?? []), source });
    }
  }

  /** Every route with the permissions it checks and where they come from. */
  table(): RouteInfo[] {
    return this.routes.map((r) => ({
      method: r.method,
      path: r.path,
      auth: r.auth === false ? 'none' : (r.auth ?? 'token'),
      required: r.required,
      source: r.source,
    }));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': randomUUID(),
    };
    let reply: Reply;
    try {
      reply = await this.dispatch(req, headers);
    } catch (e) {
      const error = e instanceof HttpError ? e : e instanceof NotFound ? notFound() : internal(e);
      reply = { status: error.status, body: errorBody(error), headers: error.headers };
    }
    const status = reply.status ?? 200;
    res.writeHead(status, { ...headers, ...reply.headers });
    const body = reply.body;
    res.end(
      status === 204 || body === undefined
        ? undefined
        : Buffer.isBuffer(body)
          ? body
          : JSON.stringify(body),
    );
  }

  private async dispatch(req: IncomingMessage, headers: Record<string, string>): Promise<Reply> {
    const url = new URL(req.url ?? '/', this.opts.base());
    const match = this.match(req.method ?? 'GET', url.pathname);
    if (!match) throw notFound();
    const { route, params } = match;
    const request: RestRequest = {
      method: route.method,
      url,
      base: this.opts.base(),
      params,
      query: url.searchParams,
      headers: req.headers,
      body: await readJson(req),
    };
    if (route.auth === false) return route.handler(request);
    this.opts.faults.apply(headers['x-github-request-id'] ?? '');
    if (route.auth === 'app') {
      const app = await this.opts.authenticateApp(req.headers.authorization);
      return route.handler({ ...request, app });
    }

    const grant = this.opts.tokens.lookup(req.headers.authorization);
    if (!req.headers.authorization) throw new HttpError(401, 'Requires authentication');
    if (!grant) throw new HttpError(401, 'Bad credentials');
    // Binding a GITHUB_TOKEN to its repository first: its budget is that repository's.
    const hidden =
      params.owner !== undefined &&
      params.repo !== undefined &&
      !canSeeRepo(grant, `${params.owner}/${params.repo}`);
    const limited = this.opts.rateLimits.count(grant);
    Object.assign(headers, limited.headers);
    if (limited.refusal) throw limited.refusal;
    if (hidden) throw notFound();
    // An installation's organisation permissions reach only the organisation it is installed on.
    if (params.org && grant.account && params.org.toLowerCase() !== grant.account.toLowerCase()) {
      throw notFound();
    }
    const permitted = route.required;
    if (permitted.length > 0 && !permitted.some(([p, a]) => allows(grant, p, a))) {
      throw new HttpError(
        403,
        grant.kind === 'user'
          ? 'Resource not accessible by personal access token'
          : 'Resource not accessible by integration',
      );
    }
    return route.handler({ ...request, grant });
  }

  private match(
    method: string,
    path: string,
  ): { route: Compiled; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? '')));
      } catch {
        return undefined; // malformed %-escapes name nothing: 404
      }
      return { route, params };
    }
    return undefined;
  }
}

function compile(route: Route, required: Requirement[]): Omit<Compiled, 'source'> {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '([^/]+)';
      }
      if (segment.startsWith('*')) {
        names.push(segment.slice(1));
        return '(.*)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...route, names, required, pattern: new RegExp(`^${source}/?$`) };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'Payload too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'Problems parsing JSON');
  }
}

function internal(e: unknown): HttpError {
  // Emulator bugs must be loud in test output, not disguised as a GitHub answer.
  console.error(e);
  return new HttpError(500, e instanceof Error ? e.message : String(e));
}
