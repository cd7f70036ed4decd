import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'coverage/', 'test-results/', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The domain ring is pure: no AWS, no Lambda types, no environment.
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', 'aws-lambda', '@aws-lambda-powertools/*', 'aws-cdk-lib', 'aws-cdk-lib/*'],
              message: 'shared/domain imports no AWS code.',
            },
            {
              group: ['**/adapters/*', '**/adapters/**', 'fs', 'node:fs', 'http', 'node:http'],
              message: 'shared/domain does no I/O.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'shared/domain reads no environment.' },
      ],
    },
  },
);
