import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', 'lib/**', 'node_modules/**', 'coverage/**', '**/*.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@cloud-copilot/iam-simulate',
                '@cloud-copilot/iam-expand',
                '@cloud-copilot/iam-policy',
                '@cloud-copilot/iam-utils',
              ],
              message:
                'AGPL packages may only be used in test/ and emulators/, never in shipped code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@cloud-copilot/iam-simulate',
                '@cloud-copilot/iam-expand',
                '@cloud-copilot/iam-policy',
                '@cloud-copilot/iam-utils',
              ],
              message:
                'AGPL packages may only be used in test/ and emulators/, never in shipped code.',
            },
            {
              group: ['@actions/*'],
              message: 'src/ is the pure core: @actions/* belongs in actions/*/src.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'emulators/**/*.ts', 'bench/**/*.ts', 'scripts/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
