import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LocalEndpoints } from './stack';

/** Where `npm start` says it is running, for the other local commands to join it. */
export const RUNNING_FILE = join('.ventanilla', 'local.json');

export interface RunningStack extends LocalEndpoints {
  readonly pid: number;
  readonly url: string;
}

export function writeRunningStack(stack: RunningStack, file = RUNNING_FILE): () => void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(stack, null, 2));
  return () => {
    try {
      const current = JSON.parse(readFileSync(file, 'utf8')) as RunningStack;
      if (current.pid === stack.pid) rmSync(file);
    } catch {
      // already gone
    }
  };
}

/** The stack `npm start` is running, when its process is still alive. */
export function readRunningStack(file = RUNNING_FILE): RunningStack | undefined {
  let stack: RunningStack;
  try {
    stack = JSON.parse(readFileSync(file, 'utf8')) as RunningStack;
  } catch {
    return undefined;
  }
  try {
    process.kill(stack.pid, 0);
    return stack;
  } catch {
    return undefined;
  }
}
