// Prints the CHANGELOG.md section of a release tag (v1.2.3), for its GitHub release. Refuses a
// tag that is not vMAJOR.MINOR.PATCH, that differs from package.json's version, or that has no
// section: a release without notes, or of another version than the package, is not published.
import { readFile } from 'node:fs/promises';

const tag = process.argv[2] ?? '';
const fail = (message) => {
  console.error(`release-notes: ${message}`);
  process.exit(1);
};
const match = /^v(\d+\.\d+\.\d+)$/.exec(tag);
if (!match) fail(`the tag must be vMAJOR.MINOR.PATCH, not "${tag}"`);
const version = match[1];
const pkg = JSON.parse(await readFile('package.json', 'utf8'));
if (pkg.version !== version) fail(`tag ${tag} but package.json says version ${pkg.version}`);
const lines = (await readFile('CHANGELOG.md', 'utf8')).split('\n');
const start = lines.findIndex((l) => l.startsWith(`## [${version}]`));
if (start < 0) fail(`CHANGELOG.md has no "## [${version}]" section`);
const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
const body = lines
  .slice(start + 1, end < 0 ? undefined : end)
  .join('\n')
  .trim();
if (body === '') fail(`the CHANGELOG.md section of ${version} is empty`);
console.log(body);
