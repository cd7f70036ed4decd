import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const AWS = ['@aws-sdk/*', 'aws-lambda', '@aws-lambda-powertools/*'];
const CDK = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'];
/** The outer rings: functions, the CDK app, the local back end and the browser pages. */
const OUTER = [...CDK, '**/lambdas/**', '**/infra/**', '**/local/**', '**/web/**'];

/** Files that may not import what the patterns name. */
const ring = (files, patterns) => ({
  files: [files],
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'coverage/', 'test-results/', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The architecture, held here: each ring imports only inward. A crossing is a lint error naming the rule.
  ring('shared/domain/**/*.ts', [
    { group: AWS, message: 'shared/domain imports no AWS code.' },
    {
      group: ['**/adapters/**', '**/runtime/**', '**/config/**', ...OUTER],
      message:
        'shared/domain imports no adapter, runtime, configuration loader, function, CDK or local code.',
    },
    { group: ['fs', 'node:fs', 'http', 'node:http'], message: 'shared/domain does no I/O.' },
  ]),
  ring('shared/{adapters,config}/**/*.ts', [
    {
      group: ['**/runtime/**', ...OUTER],
      message: 'Adapters import no runtime, function, CDK or local code.',
    },
  ]),
  ring('shared/runtime/**/*.ts', [
    { group: OUTER, message: 'shared/runtime imports no function, CDK or local code.' },
  ]),
  ring('lambdas/**/*.ts', [
    { group: [...CDK, '**/infra/**', '**/local/**'], message: 'A function imports no CDK or local code.' },
  ]),
  ring('infra/**/*.ts', [{ group: ['**/local/**'], message: 'The CDK app imports no local code.' }]),
  {
    // The browser pages reach data only over HTTP: the server's types, never its code — except the two pure
    // rules a page checks as the person types, the same as the server's: a ticket's check digit and the moves
    // a case's status allows.
    files: ['web/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)shared/(?!domain/(ticket|case)$)',
              allowTypeImports: true,
              message:
                'The web app takes only types from shared/ (and the rules of shared/domain/ticket and case); its data comes over HTTP.',
            },
            { group: [...AWS, ...OUTER], message: 'The web app reaches the back end only over HTTP.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'shared/domain reads no environment.' },
      ],
    },
  },
);
