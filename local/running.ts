import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalEndpoints } from './back-end';
import { alive } from './processes';

/** Where each `npm start` says it is running (one file per HTTP port), for the other local commands to join it. */
export const RUNNING_DIR = '.ventanilla';
const fileOf = (dir: string, port: number) => join(dir, `local-${port}.json`);

export interface RunningBackEnd extends LocalEndpoints {
  readonly pid: number;
  readonly url: string;
  readonly port: number;
}

/** Writes this back end's discovery file; the returned function removes it (only if it is still this one's). */
export function writeRunningBackEnd(backEnd: RunningBackEnd, dir = RUNNING_DIR): () => void {
  mkdirSync(dir, { recursive: true });
  const file = fileOf(dir, backEnd.port);
  writeFileSync(file, JSON.stringify(backEnd, null, 2));
  return () => {
    try {
      const current = JSON.parse(readFileSync(file, 'utf8')) as RunningBackEnd;
      if (current.pid === backEnd.pid) rmSync(file);
    } catch {
      // already gone
    }
  };
}

/** Every back end `npm start` is running on this machine, by port. */
export function runningBackEnds(dir = RUNNING_DIR): RunningBackEnd[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^local-\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const stacks: RunningBackEnd[] = [];
  for (const name of names)
    try {
      const backEnd = JSON.parse(readFileSync(join(dir, name), 'utf8')) as RunningBackEnd;
      if (alive(backEnd.pid)) stacks.push(backEnd);
    } catch {
      // a file being written or removed: not a running back end
    }
  return stacks.sort((a, b) => a.port - b.port);
}

/**
 * The back end to join: the one on `port` when given, or the only one running. Several running and no port
 * given is an error that lists them; none running is undefined.
 */
export function readRunningBackEnd(port?: number, dir = RUNNING_DIR): RunningBackEnd | undefined {
  const stacks = runningBackEnds(dir);
  if (port !== undefined) {
    const found = stacks.find((s) => s.port === port);
    if (!found)
      throw new Error(
        `no local contact center is running on port ${port}` +
          (stacks.length
            ? ` (running: ${stacks.map((s) => s.port).join(', ')})`
            : ' (start it with npm start)'),
      );
    return found;
  }
  if (stacks.length > 1)
    throw new Error(
      `${stacks.length} local contact centers are running (ports ${stacks.map((s) => s.port).join(', ')}): ` +
        'say which to join with --port N',
    );
  return stacks[0];
}
