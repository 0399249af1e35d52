import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './auth/authenticate.js';
import { parseAuthorization } from './auth/sigv4.js';
import { decide, deniedMessage, type AuthzRequest } from './authz/evaluate.js';
import type { Clock } from './clock.js';
import { buildRecord } from './cloudtrail/record.js';
import type { Faults } from './faults.js';
import { newRequestId } from './ids.js';
import { IAM_NAMESPACE } from './iam/operations.js';
import type { CallContext, Operation, Service } from './operation.js';
import { AwsError, accessDenied } from './protocol/errors.js';
import { parseQuery, type QueryParams } from './protocol/query.js';
import { queryError, queryResponse, type XmlObject } from './protocol/xml.js';
import type { AwsState } from './state.js';
import { STS_NAMESPACE, UNSIGNED_STS_ACTIONS } from './sts/operations.js';

/** The SDK sends the short form; AWS documents the long one. Both name the same operations. */
const CLOUDTRAIL_TARGET =
  /^(?:com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\.(\w+)$/;
/** Athena's JSON 1.1 target prefix. */
const ATHENA_TARGET = /^AmazonAthena\.(\w+)$/;
/** SSO Admin and Identity Store (JSON 1.1), with the SigV4 service names their scopes carry. */
const JSON_TARGETS: [RegExp, Service, string][] = [
  [/^SWBExternalService\.(\w+)$/, 'sso', 'sso'],
  [/^AWSIdentityStore\.(\w+)$/, 'identitystore', 'identitystore'],
];
/** Services whose Smithy errors carry `Message` and whose refusals are AccessDeniedException. */
const SMITHY_JSON = new Set<Service>(['sso', 'identitystore']);
const MAX_BODY = 1024 * 1024;

export interface OperationTable {
  iam: Record<string, Operation<never, unknown>>;
  sts: Record<string, Operation<never, unknown>>;
  cloudtrail: Record<string, Operation<never, unknown>>;
  athena: Record<string, Operation<never, unknown>>;
  sso: Record<string, Operation<never, unknown>>;
  identitystore: Record<string, Operation<never, unknown>>;
}

/** What each service answers for an injected fault; the SDK retries both. */
const FAULT_ERRORS: Record<Service, { throttle: [string, number]; '5xx': [string, number] }> = {
  iam: { throttle: ['Throttling', 400], '5xx': ['ServiceFailure', 500] },
  sts: { throttle: ['Throttling', 400], '5xx': ['InternalFailure', 500] },
  cloudtrail: { throttle: ['ThrottlingException', 400], '5xx': ['InternalFailure', 500] },
  athena: { throttle: ['TooManyRequestsException', 400], '5xx': ['InternalServerException', 500] },
  sso: { throttle: ['ThrottlingException', 429], '5xx': ['InternalServerException', 500] },
  identitystore: {
    throttle: ['ThrottlingException', 429],
    '5xx': ['InternalServerException', 500],
  },
};

/**
 * One request from wire to wire: pick the service (CloudTrail by X-Amz-Target, IAM and STS by
 * the SigV4 scope, unsigned web identity calls by action), authenticate, apply faults,
 * authorise, run, answer in the service's protocol, and log the call to CloudTrail.
 */
export class Dispatcher {
  constructor(
    private readonly state: AwsState,
    private readonly clock: Clock,
    private readonly faults: Faults,
    private readonly operations: OperationTable,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      res.writeHead(413).end();
      return;
    }
    const target = header(req, 'x-amz-target');
    const json = target !== undefined;
    const auth = parseAuthorization(header(req, 'authorization'));
    let input: unknown;
    let action: string;
    let service: Service | undefined;
    let scope: string | undefined;
    if (json) {
      const athena = ATHENA_TARGET.exec(target)?.[1];
      service = athena ? 'athena' : 'cloudtrail';
      action = athena ?? CLOUDTRAIL_TARGET.exec(target)?.[1] ?? target;
      for (const [pattern, name, signingName] of JSON_TARGETS) {
        const match = pattern.exec(target)?.[1];
        if (match) [service, action, scope] = [name, match, signingName];
      }
      try {
        input = body ? JSON.parse(body) : {};
      } catch {
        input = undefined;
      }
    } else {
      const params = parseQuery(body);
      input = params;
      action = typeof params.Action === 'string' ? params.Action : '';
      service =
        auth?.service === 'iam' || auth?.service === 'sts'
          ? auth.service
          : UNSIGNED_STS_ACTIONS.has(action)
            ? 'sts'
            : undefined;
    }
    const ctx: CallContext<unknown> = {
      state: this.state,
      clock: this.clock,
      service: service ?? 'iam',
      action,
      region: auth?.region ?? 'us-east-1',
      requestId,
      input,
      trail: {},
    };

    let output: unknown;
    let error: AwsError | undefined;
    let drop = false;
    let readOnly = true;
    try {
      if (json && input === undefined)
        throw new AwsError('SerializationException', 'Malformed JSON');
      const operation = this.operation(service, action, json);
      readOnly = operation.readOnly;
      if (!(service === 'sts' && UNSIGNED_STS_ACTIONS.has(action))) {
        if (!auth) {
          if (header(req, 'authorization'))
            throw new AwsError(
              'IncompleteSignature',
              'Authorization header requires a valid SigV4 signature.',
            );
          throw new AwsError(
            'MissingAuthenticationToken',
            'Request is missing Authentication Token',
            403,
          );
        }
        if (scope && auth.service !== scope)
          throw new AwsError(
            'InvalidSignatureException',
            `Credential should be scoped to correct service: '${scope}'. `,
            403,
          );
        const credential = await authenticate(
          this.state,
          this.clock,
          { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
          auth,
        );
        ctx.caller = credential;
        ctx.accountId = credential.identity.accountId;
      }
      for (const fault of this.faults.take(action)) {
        // Unref'd: a call held for minutes must not keep a finished test run's process alive.
        if (fault.kind === 'latency')
          await new Promise((r) => setTimeout(r, fault.ms ?? 1000).unref());
        else if (fault.kind === 'drop-after-apply') drop = true;
        else {
          const [code, status] = FAULT_ERRORS[ctx.service][fault.kind];
          throw new AwsError(
            code,
            fault.kind === 'throttle' ? 'Rate exceeded' : 'Service unavailable',
            status,
          );
        }
      }
      const caller = ctx.caller;
      if (operation.authorize && caller && !caller.admin) {
        for (const request of ([] as AuthzRequest[]).concat(operation.authorize(ctx as never))) {
          const principal = {
            arn: caller.identity.arn,
            identity: caller.identity,
            session: caller.sessionPolicies,
          };
          const { decision, by } = decide(this.state, this.clock, principal, request);
          if (decision !== 'Allowed') {
            const message = deniedMessage(caller.identity.arn, request, decision, by);
            if (SMITHY_JSON.has(ctx.service))
              throw new AwsError('AccessDeniedException', message, 403);
            // Athena answers an IAM refusal as AccessDeniedException, not IAM's AccessDenied.
            throw ctx.service === 'athena'
              ? new AwsError('AccessDeniedException', message)
              : accessDenied(message);
          }
        }
      }
      output = await operation.run(ctx as never);
    } catch (e) {
      error = e instanceof AwsError ? e : internal(e);
      drop = false;
    }

    if (ctx.accountId) {
      if (ctx.service === 'iam') ctx.trail.resources ??= iamResources(ctx.input as QueryParams);
      const record = buildRecord(ctx, {
        readOnly,
        output,
        error,
        sourceIPAddress: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: header(req, 'user-agent') ?? '',
      });
      this.state.cloudtrail.record(record, ctx.trail.resources ?? []);
    }
    if (drop) {
      req.socket.destroy();
      return;
    }
    if (json) this.answerJson(res, requestId, output, error, SMITHY_JSON.has(ctx.service));
    else this.answerQuery(res, ctx, output as XmlObject | undefined, error);
  }

  private operation(
    service: Service | undefined,
    action: string,
    json: boolean,
  ): Operation<never, unknown> {
    if (!service)
      throw new AwsError(
        'MissingAuthenticationToken',
        'Request is missing Authentication Token',
        403,
      );
    const operation = this.operations[service][action];
    if (operation) return operation;
    if (json) throw new AwsError('UnknownOperationException', `Unknown operation ${action}`);
    const version = service === 'iam' ? '2010-05-08' : '2011-06-15';
    throw new AwsError(
      'InvalidAction',
      `Could not find operation ${action} for version ${version}`,
    );
  }

  private answerQuery(
    res: ServerResponse,
    ctx: CallContext<unknown>,
    output: XmlObject | undefined,
    error: AwsError | undefined,
  ): void {
    const namespace = ctx.service === 'sts' ? STS_NAMESPACE : IAM_NAMESPACE;
    const body = error
      ? queryError(
          namespace,
          { type: error.type, code: error.code, message: error.message },
          ctx.requestId,
        )
      : queryResponse(ctx.action, namespace, output, ctx.requestId);
    res.writeHead(error?.status ?? 200, {
      'content-type': 'text/xml',
      'x-amzn-requestid': ctx.requestId,
    });
    res.end(body);
  }

  private answerJson(
    res: ServerResponse,
    requestId: string,
    output: unknown,
    error: AwsError | undefined,
    smithy = false,
  ): void {
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': requestId,
    };
    if (error) headers['x-amzn-errortype'] = error.code;
    res.writeHead(error?.status ?? 200, headers);
    const body = error
      ? {
          __type: error.code,
          [smithy ? 'Message' : 'message']: error.message,
          ...error.fields,
        }
      : (output ?? {});
    res.end(JSON.stringify(body));
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function internal(e: unknown): AwsError {
  // Emulator bugs must be loud in test output, not disguised as an AWS answer.
  console.error(e);
  return new AwsError('InternalFailure', e instanceof Error ? e.message : String(e), 500);
}

/** The IAM resources a call names, as LookupEvents lists them when the operation did not say. */
function iamResources(params: QueryParams): { ResourceType: string; ResourceName: string }[] {
  const named: [string, string][] = [
    ['PolicyArn', 'AWS::IAM::Policy'],
    ['UserName', 'AWS::IAM::User'],
    ['RoleName', 'AWS::IAM::Role'],
    ['GroupName', 'AWS::IAM::Group'],
  ];
  return named
    .filter(([member]) => typeof params[member] === 'string')
    .map(([member, type]) => ({ ResourceType: type, ResourceName: params[member] as string }));
}
