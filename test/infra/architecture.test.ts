import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCycles, importGraph, sourceFiles } from '../support/import-graph';

const ROOT = join(__dirname, '..', '..');

/** ESLint's verdict on a file that would sit at `path`, with the project's own configuration. */
function lint(path: string, code: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'eslint'), ['--stdin', '--stdin-filename', path], {
      cwd: ROOT,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
    child.stdin.end(code);
  });
}

describe('the architecture', () => {
  it('has no import cycle anywhere, type-only imports included', () => {
    const files = sourceFiles(ROOT, [
      'shared',
      'lambdas',
      'infra',
      'local',
      'web',
      'bench',
      'scripts',
      'test',
    ]);
    expect(files.length).toBeGreaterThan(150);
    expect(importCycles(importGraph(ROOT, files))).toEqual([]);
  });

  it('finds a cycle made only of type imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ventanilla-cycle-'));
    writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = { b?: B };\n");
    writeFileSync(join(dir, 'b.ts'), "import type { A } from './a';\nexport type B = { a?: A };\n");
    writeFileSync(join(dir, 'c.ts'), "import type { A } from './a';\nexport type C = A;\n");
    expect(importCycles(importGraph(dir, ['a.ts', 'b.ts', 'c.ts']))).toEqual([['a.ts', 'b.ts']]);
  });

  it.each([
    [
      'a domain file importing an adapter',
      'shared/domain/probe.ts',
      "import { caseItem } from '../adapters/dynamodb/case-items';",
    ],
    [
      'a domain file importing the runtime',
      'shared/domain/probe.ts',
      "import { loadRuntime } from '../runtime/runtime';",
    ],
    [
      'an adapter importing local code',
      'shared/adapters/probe.ts',
      "import { LOCAL } from '../../local/contact-center';",
    ],
    [
      'a function importing CDK code',
      'lambdas/api/probe.ts',
      "import { buildApp } from '../../infra/build-app';",
    ],
    [
      'a function importing local code',
      'lambdas/api/probe.ts',
      "import { LOCAL } from '../../local/contact-center';",
    ],
    [
      'the CDK app importing local code',
      'infra/stacks/probe.ts',
      "import { LOCAL } from '../../local/contact-center';",
    ],
    [
      'the web app importing server code',
      'web/src/probe.ts',
      "import { toCsv } from '../../shared/domain/csv';",
    ],
  ])('fails the lint step for %s', async (_what, path, code) => {
    const { status, output } = await lint(
      path,
      `${code}\nexport const probe = [${code.match(/\{ (\w+) \}/)![1]}];\n`,
    );
    expect(output).toContain('no-restricted-imports');
    expect(status).toBe(1);
  });

  it('lets the web app check a ticket and a case move by the server’s own rules', async () => {
    const { status, output } = await lint(
      'web/src/probe.ts',
      "import { isTicket } from '../../shared/domain/ticket';\nimport { movesFrom } from '../../shared/domain/case';\nexport const probe = [isTicket, movesFrom];\n",
    );
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('lets the web app take the server’s types', async () => {
    const { status, output } = await lint(
      'web/src/probe.ts',
      "import type { DashboardView } from '../../shared/domain/metrics/summary';\nexport const probe: DashboardView | undefined = undefined;\n",
    );
    expect(output).toBe('');
    expect(status).toBe(0);
  });
});
