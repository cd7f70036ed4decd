import type { BuildOptions } from 'esbuild';

/**
 * How every function is bundled, in CDK and in the benchmarks alike: one minified, tree-shaken CommonJS file
 * for Node 22 with the AWS SDK inside (no reliance on the runtime's copy), ES-module entry points preferred so
 * unused code is dropped, and a separate source map.
 */
export const BUNDLE_TARGET = 'node22';
export const bundleOptions = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: BUNDLE_TARGET,
  format: 'cjs',
  minify: true,
  treeShaking: true,
  sourcemap: 'external',
  mainFields: ['module', 'main'],
  legalComments: 'none',
  logLevel: 'silent',
});

/** The Connect-invoked functions: folder name under lambdas/. */
export const CONNECT_FUNCTIONS = ['connect-lookup', 'connect-case', 'connect-case-status'] as const;
