import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validators built from GitHub's own OpenAPI description (@octokit/openapi): the response schema
 * of an operation, or the payload schema of a webhook event. Extra properties are allowed, as
 * GitHub's schemas allow them; required properties, types, enums and nullability are checked.
 */

type Json = Record<string, unknown>;

const require = createRequire(import.meta.url);
const spec = JSON.parse(
  readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
) as {
  paths: Record<string, Record<string, Json>>;
  components: Json & { responses: Record<string, Json> };
  'x-webhooks': Record<string, Json>;
};

const ajv = new Ajv({
  strict: false,
  allErrors: true,
  validateSchema: false,
  discriminator: false,
});
addFormats.default(ajv);

/**
 * Local `#/components/...` refs re-pointed at the registered description, and OpenAPI 3.0's
 * `nullable` without a `type` (which Ajv refuses) spelled out as "this or null".
 */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== 'object') return schema;
  const { nullable, ...rest } = schema as Json;
  const out = Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? `gh${v}` : rebase(v),
    ]),
  );
  if (nullable !== true) return nullable === undefined ? out : { ...out, nullable };
  return 'type' in out ? { ...out, nullable } : { anyOf: [out, { type: 'null' }] };
}

function jsonSchemaOf(response: Json): unknown {
  const resolved =
    typeof response.$ref === 'string'
      ? spec.components.responses[response.$ref.split('/').pop() ?? '']
      : response;
  const content = (resolved?.content ?? {}) as Record<string, { schema: unknown }>;
  const json = content['application/json'];
  if (!json) throw new Error('no application/json response schema');
  return json.schema;
}

ajv.addSchema({ $id: 'gh', components: rebase(spec.components) }, 'gh');

const cache = new Map<string, ValidateFunction>();

/** The validator for an operation's response, e.g. `responseValidator('pulls/get', 200)`. */
export function responseValidator(operationId: string, status: number): ValidateFunction {
  const key = `${operationId} ${status}`;
  const hit = cache.get(key);
  if (hit) return hit;
  for (const ops of Object.values(spec.paths)) {
    for (const op of Object.values(ops) as Json[]) {
      if (op.operationId !== operationId) continue;
      const response = (op.responses as Record<string, Json>)[String(status)];
      if (!response) throw new Error(`${operationId} documents no ${status} response`);
      const validate = ajv.compile(rebase(jsonSchemaOf(response)) as Json);
      cache.set(key, validate);
      return validate;
    }
  }
  throw new Error(`no operation ${operationId}`);
}

/** The validator for a webhook payload, e.g. `webhookValidator('pull-request-opened')`. */
export function webhookValidator(name: string): ValidateFunction {
  const hook = spec['x-webhooks'][name] as
    { post: { requestBody: { content: Record<string, { schema: unknown }> } } } | undefined;
  if (!hook) throw new Error(`no webhook ${name}`);
  const schema = hook.post.requestBody.content['application/json']?.schema;
  return ajv.compile(rebase(schema) as Json);
}

/** Readable validation errors for a failing expectation. */
export const errorsOf = (validate: ValidateFunction): string[] =>
  (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
