import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { majorTag, RELEASE } from '../../src/init/release.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  name: string;
  version: string;
  repository: { url: string };
};

test('jit init pins to the release package.json describes', () => {
  expect(RELEASE.version).toBe(pkg.version);
  expect(RELEASE.npmPackage).toBe(pkg.name);
  expect(pkg.repository.url).toBe(`git+https://github.com/${RELEASE.repository}.git`);
});

test('the major tag of a version', () => {
  expect(majorTag('1.0.0')).toBe('v1');
  expect(majorTag('12.3.4')).toBe('v12');
});

const notes = (tag: string) => {
  try {
    return {
      code: 0,
      out: execFileSync('node', ['scripts/release-notes.mjs', tag], {
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    return { code: err.status, out: err.stderr };
  }
};

test("the release's notes are its CHANGELOG section", () => {
  const r = notes(`v${pkg.version}`);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/^### Added/);
  expect(r.out).not.toContain('## [');
});

test.each([
  ['v9.9.9', /package\.json says version/],
  [pkg.version, /vMAJOR\.MINOR\.PATCH/],
  [`v${pkg.version}-rc.1`, /vMAJOR\.MINOR\.PATCH/],
])('no release for %s', (tag, message) => {
  const r = notes(tag);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(message);
});
