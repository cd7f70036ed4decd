import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/** One file of the built dashboard: its path under /dashboard/, type and content. */
export interface DashboardFile {
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
}

const WEB = __dirname;

/**
 * Builds the supervisors' dashboard with esbuild: the page, one script (uPlot bundled in, nothing from a
 * CDN, so it works offline) and one style sheet. The same files are served by `npm start` and deployed to S3.
 */
export function buildDashboard(options: { minify?: boolean } = {}): DashboardFile[] {
  const result = buildSync({
    entryPoints: { app: join(WEB, 'src/main.ts'), 'app-style': join(WEB, 'src/app.css') },
    bundle: true,
    write: false,
    outdir: join(WEB, 'dist'),
    minify: options.minify ?? true,
    sourcemap: false,
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    format: 'iife',
    logLevel: 'silent',
    legalComments: 'none',
  });
  const file = (suffix: string) => result.outputFiles.find((f) => f.path.endsWith(suffix))!;
  return [
    {
      path: 'index.html',
      contentType: 'text/html; charset=utf-8',
      body: readFileSync(join(WEB, 'index.html')),
    },
    {
      path: 'app.js',
      contentType: 'text/javascript; charset=utf-8',
      body: Buffer.from(file('app.js').contents),
    },
    {
      path: 'app.css',
      contentType: 'text/css; charset=utf-8',
      body: Buffer.from(file('app-style.css').contents),
    },
  ];
}

/** Writes the built files (and a config.json, when given) into a folder, for the S3 deployment. */
export function writeDashboard(dir: string, config: unknown): string {
  mkdirSync(dir, { recursive: true });
  for (const f of buildDashboard()) writeFileSync(join(dir, f.path), f.body);
  if (config !== undefined) writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}
