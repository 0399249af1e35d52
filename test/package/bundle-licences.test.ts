import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledLicences, refusedLicences } from '../../scripts/bundle-licences.mjs';

/** A node_modules tree with one file in each package, as the bundler reports them. */
async function tree(packages: Record<string, object>): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'jit-licences-'));
  const files = [];
  for (const [dir, json] of Object.entries(packages)) {
    await mkdir(join(root, dir, 'lib'), { recursive: true });
    await writeFile(join(root, dir, 'package.json'), JSON.stringify(json));
    files.push(join(root, dir, 'lib', 'index.js'));
  }
  return files;
}

test('the bundled packages of scoped, nested and old-style licences are named and read', async () => {
  const files = await tree({
    'node_modules/plain': { name: 'plain', version: '1.0.0', license: 'MIT' },
    'node_modules/@scope/pkg': { name: '@scope/pkg', version: '2.0.0', license: 'Apache-2.0' },
    'node_modules/plain/node_modules/inner': { name: 'inner', version: '3.0.0', license: 'ISC' },
    'node_modules/old': { name: 'old', version: '0.1.0', licenses: [{ type: 'BSD-3-Clause' }] },
  });
  const licences = await bundledLicences([...files, '/repo/src/cli/main.ts']);
  expect(Object.fromEntries(licences)).toEqual({
    'plain@1.0.0': 'MIT',
    '@scope/pkg@2.0.0': 'Apache-2.0',
    'inner@3.0.0': 'ISC',
    'old@0.1.0': 'BSD-3-Clause',
  });
  expect(refusedLicences(licences)).toEqual([]);
});

test('AGPL, GPL, LGPL, unknown and missing licences are refused; a permissive choice is not', async () => {
  const licences = new Map([
    ['@cloud-copilot/iam-simulate@0.1.0', 'AGPL-3.0-or-later'],
    ['gpl@1.0.0', 'GPL-2.0-only'],
    ['lgpl@1.0.0', 'LGPL-3.0'],
    ['sspl@1.0.0', 'SSPL-1.0'],
    ['none@1.0.0', ''],
    ['both@1.0.0', 'MIT AND GPL-3.0'],
    ['nested@1.0.0', '(MIT OR GPL-3.0) AND AGPL-3.0'],
    ['dual@1.0.0', 'MIT OR GPL-3.0'],
    ['all@1.0.0', 'Apache-2.0 AND MIT'],
  ]);
  expect(refusedLicences(licences).map(([id]) => id)).toEqual([
    '@cloud-copilot/iam-simulate@0.1.0',
    'gpl@1.0.0',
    'lgpl@1.0.0',
    'sspl@1.0.0',
    'none@1.0.0',
    'both@1.0.0',
    'nested@1.0.0',
  ]);
});

test('the real AGPL devDependencies would be refused if anything bundled them', async () => {
  const root = join(process.cwd(), 'node_modules', '@cloud-copilot');
  const licences = await bundledLicences([
    join(root, 'iam-simulate', 'dist', 'index.js'),
    join(root, 'iam-data', 'dist', 'index.js'),
  ]);
  expect(refusedLicences(licences).map(([id]) => id.replace(/@[^@]+$/, ''))).toEqual([
    '@cloud-copilot/iam-simulate',
  ]);
});
