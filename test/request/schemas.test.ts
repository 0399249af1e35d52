import { readFileSync } from 'node:fs';
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import requestSchema from '../../schemas/request.schema.json' with { type: 'json' };

/** Paths of schema nodes that describe a value but have no description (editors show none). */
function undescribed(node: unknown, path: string, out: string[]): string[] {
  if (node === null || typeof node !== 'object') return out;
  const schema = node as Record<string, unknown>;
  for (const key of ['properties', 'definitions']) {
    const children = schema[key] as Record<string, Record<string, unknown>> | undefined;
    for (const [name, child] of Object.entries(children ?? {})) {
      if (key === 'properties' && typeof child.description !== 'string')
        out.push(`${path}.${name}`);
      undescribed(child, `${path}.${name}`, out);
    }
  }
  for (const key of ['items', 'additionalProperties']) {
    const child = schema[key];
    if (child && typeof child === 'object') {
      if (
        typeof (child as { description?: unknown }).description !== 'string' &&
        !('$ref' in child)
      )
        out.push(`${path}.${key}`);
      undescribed(child, `${path}.${key}`, out);
    }
  }
  return out;
}

test.each([
  ['request', requestSchema],
  ['config', configSchema],
])('every property of the %s schema has a description for editor completion', (_name, schema) => {
  expect(undescribed(schema, '', [])).toEqual([]);
});

test('the config schema uses the same statement definition as the request schema', () => {
  expect(configSchema.definitions).toEqual(requestSchema.definitions);
});

test('the requester pattern is GitHub login syntax', () => {
  const login = new RegExp(requestSchema.properties.requester.pattern);
  for (const ok of ['octocat', 'a', 'a-b-c', 'A1', 'x'.repeat(39)])
    expect(login.test(ok)).toBe(true);
  for (const bad of ['-a', 'a-', 'a--b', 'a b', 'a_b', 'x'.repeat(40), ''])
    expect(login.test(bad)).toBe(false);
});

test.each([
  ['requests/example-profile.yaml', '../schemas/request.schema.json'],
  ['requests/example-custom.yaml', '../schemas/request.schema.json'],
  ['jit.config.yaml', 'schemas/config.schema.json'],
])('%s points yaml-language-server at its schema', (file, schema) => {
  expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(
    `# yaml-language-server: $schema=${schema}`,
  );
});
