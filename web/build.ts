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
 * The pages — the staff's, the local caller's and the citizen's own: each an HTML file, one script and one
 * style sheet.
 */
const PAGES = {
  dashboard: { html: 'index.html', script: 'src/main.ts', style: 'src/app.css' },
  agent: { html: 'agent.html', script: 'src/agent.ts', style: 'src/agent.css' },
  admin: { html: 'admin.html', script: 'src/admin.ts', style: 'src/admin.css' },
  supervision: { html: 'supervision.html', script: 'src/supervision.ts', style: 'src/supervision.css' },
  backoffice: { html: 'backoffice.html', script: 'src/backoffice.ts', style: 'src/backoffice.css' },
  /** Appointments at the office: check-in, calls to the desks, the day in figures, closures; the call display. */
  office: { html: 'office.html', script: 'src/office-counter.ts', style: 'src/office-counter.css' },
  /** The local caller's page (`npm start` only): a citizen's side of a call or a chat. */
  caller: { html: 'caller.html', script: 'src/caller.ts', style: 'src/caller.css' },
  /** The citizen's own page: sign-in by a code to their phone, their cases and bookings. Public. */
  citizen: { html: 'citizen.html', script: 'src/citizen.ts', style: 'src/citizen.css' },
} as const;
export type StaffPage = keyof typeof PAGES;

/**
 * Builds a page with esbuild: the page, one script (its libraries bundled in, nothing from a CDN, so it
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
    ...(page === 'agent' ? softphonePage() : []),
    {
      path: 'index.html',
      contentType: 'text/html; charset=utf-8',
      body: Buffer.from(pageHtml(html)),
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

/** A page's HTML with its shared parts put in: `<!-- sign-in -->` is the staff pages' one sign-in form. */
function pageHtml(name: string): string {
  return readFileSync(join(WEB, name), 'utf8').replace(
    /^ *<!-- sign-in -->\n/m,
    readFileSync(join(WEB, 'partials', 'sign-in.html'), 'utf8'),
  );
}

/**
 * The agent panel's standalone page for AWS: the same panel beside the instance's softphone, which
 * amazon-connect-streams embeds (served from this origin, never a CDN; kept out of the panel's own script).
 */
function softphonePage(): DashboardFile[] {
  const html = pageHtml(PAGES.agent.html)
    .replace('<body>', '<body class="with-softphone">')
    .replace(
      '<main id="main" tabindex="-1">',
      '<div class="softphone-layout">\n    <aside id="ccp" class="ccp" aria-label="Softphone"></aside>\n    <main id="main" tabindex="-1">',
    )
    .replace('</main>', '</main>\n    </div>')
    .replace(
      '<script src="app.js"></script>',
      '<script src="streams.js"></script>\n    <script src="app.js"></script>',
    );
  return [
    { path: 'softphone.html', contentType: 'text/html; charset=utf-8', body: Buffer.from(html) },
    {
      path: 'streams.js',
      contentType: 'text/javascript; charset=utf-8',
      body: readFileSync(require.resolve('amazon-connect-streams/release/connect-streams-min.js')),
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
