/** Jest runs the TypeScript sources as native ESM (the @actions/* packages are ESM-only). */
import { availableParallelism } from 'node:os';

export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, isolatedModules: true, tsconfig: 'tsconfig.json' }],
  },
  // A guard against hangs, not a speed budget: the suite must pass on a loaded 2-core machine,
  // where one end-to-end test running the built actions can take minutes.
  testTimeout: 300_000,
  // More workers than cores: jest's default leaves one core idle (one worker on a 2-core
  // runner), yet many files spend much of their time waiting on child processes, HTTP and
  // Identity Center's status polls, and no two files share a port, a temporary directory or a
  // file they write (docs/decisions/028-test-suite-time.md). One and a half workers per core.
  // Computed here: jest reads a percentage over 100% as a plain number (`'150%'` is 150 workers).
  maxWorkers: Math.ceil(availableParallelism() * 1.5),
  testSequencer: '<rootDir>/scripts/slow-first-sequencer.mjs',
  reporters: ['default', '<rootDir>/scripts/slowest-files-reporter.js'],
};
