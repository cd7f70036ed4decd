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

/** The staff pages: each an HTML file, one script and one style sheet. */
const PAGES = {
  dashboard: { html: 'index.html', script: 'src/main.ts', style: 'src/app.css' },
  agent: { html: 'agent.html', script: 'src/agent.ts', style: 'src/agent.css' },
} as const;
export type StaffPage = keyof typeof PAGES;

/**
 * Builds a staff page with esbuild: the page, one script (its libraries bundled in, nothing from a CDN, so it
 * works offline) and one style sheet, served as index.html, app.js and app.css of its folder. The same files
 * are served by `npm start` and deployed to S3.
 */
export function buildPage(page: StaffPage, options: { minify?: boolean } = {}): DashboardFile[] {
  const { html, script, style } = PAGES[page];
  const result = buildSync({
    entryPoints: { app: join(WEB, script), 'app-style': join(WEB, style) },
    bundle: true,
    write: false,
    outdir: join(WEB, 'dist', page),
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
      body: readFileSync(join(WEB, html)),
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

/** The supervisors' dashboard (uPlot bundled in). */
export const buildDashboard = (options: { minify?: boolean } = {}) => buildPage('dashboard', options);

/** Writes a page's built files (and a config.json, when given) into a folder, for the S3 deployment. */
export function writePage(page: StaffPage, dir: string, config?: unknown): string {
  mkdirSync(dir, { recursive: true });
  for (const f of buildPage(page)) writeFileSync(join(dir, f.path), f.body);
  if (config !== undefined) writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}
