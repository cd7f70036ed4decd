/** What every benchmark prints: one JSON object a line. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly [detail: string]: unknown;
}

export function report(figure: Figure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** Progress goes to stderr so stdout stays one JSON figure a line. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Times `fn` `n` times after `warmup` unmeasured calls; returns milliseconds per call. */
export async function sample(n: number, fn: (i: number) => Promise<unknown>, warmup = 20): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out;
}

export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/** Options of `npm run bench` that a family reads (the others ignore them). */
export interface BenchOptions {
  readonly batchCases?: number;
  readonly batchConcurrency?: number;
  readonly batchTransactionItems?: number;
  readonly simulateContacts?: number;
  readonly simulateAgents?: number;
}
