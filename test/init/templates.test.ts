/**
 * One text for each file this repository and the access repositories share: the copies here are
 * what the templates render, so an edit to either shows up as a failure until both agree.
 */
import { readFileSync } from 'node:fs';
import { codeownersFile } from '../../src/init/templates/codeowners.js';
import { requestsReadme } from '../../src/init/templates/requests-readme.js';
import { requesterContextRunbook } from '../../src/init/templates/runbook.js';

test("requests/README.md is the template's text with this repository's schema and examples", () => {
  expect(requestsReadme({ schemaRef: '../schemas/request.schema.json', examples: true })).toBe(
    readFileSync('requests/README.md', 'utf8'),
  );
});

test("runbooks/requester-context.yaml is the template's runbook", () => {
  expect(requesterContextRunbook('../schemas/runbook.schema.json')).toBe(
    readFileSync('runbooks/requester-context.yaml', 'utf8'),
  );
});

test(".github/CODEOWNERS is the template's, for acme", () => {
  expect(codeownersFile('acme')).toBe(readFileSync('.github/CODEOWNERS', 'utf8'));
});

test('without example files, the request format points to none', () => {
  const text = requestsReadme({
    schemaRef: 'https://example.test/request.schema.json',
    examples: false,
  });
  expect(text).not.toMatch(/example-(profile|custom)\.yaml/);
  expect(text).toContain(
    '# yaml-language-server: $schema=https://example.test/request.schema.json',
  );
});
