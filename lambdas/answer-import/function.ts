import * as z from 'zod/mini';
import { DynamoBackOfficeStore } from '../../shared/adapters/dynamodb/backoffice-store';
import { importIdOf } from '../../shared/adapters/http/backoffice-routes';
import { importOf, type S3Exchange } from '../../shared/adapters/s3/exchange';
import { runImport } from '../../shared/domain/backoffice';
import { parseInput } from '../../shared/domain/schema';
import { storeTables, type Runtime } from '../../shared/runtime/runtime';

const MAX_FILE = 20 * 1024 * 1024;

const s3Event = z.object({
  Records: z.array(z.object({ s3: z.object({ object: z.object({ key: z.string() }) }) })),
});

/**
 * An agency uploads its answers to `imports/<department>/<file>.csv` (or `imports/<department>/dry-run/…` to
 * check a file without writing); this function imports the rows of that department and writes the per-row
 * report to `reports/<department>/<file>.report.json`. The same file uploaded twice changes nothing the
 * second time. A failure throws, so S3's asynchronous invocation retries it and then keeps the event.
 */
export function makeAnswerImportHandler(
  runtime: Runtime,
  ports: { exchange: Pick<S3Exchange, 'put' | 'text'> },
) {
  const { logger, clock } = runtime;
  const { exchange } = ports;
  const store = new DynamoBackOfficeStore(runtime.doc, storeTables(runtime), {
    keepDays: runtime.config.deployment.retention.exportFile.days,
    now: runtime.clock.now,
  });
  return async (event: unknown) => {
    const { Records } = parseInput(s3Event, event);
    for (const record of Records) {
      // S3 event keys are URL-encoded, with spaces as '+'.
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
      const target = importOf(key);
      if (!target) {
        logger.warn('not an answers file', { key });
        continue;
      }
      const text = await exchange.text(key, MAX_FILE);
      const report = await runImport(store, { now: clock.now, importIdOf }, text, {
        dryRun: target.dryRun,
        departments: [target.department],
      });
      await exchange.put(
        target.report,
        JSON.stringify({ file: key, ...report }, null, 2),
        'application/json',
      );
      logger.info('import done', {
        key,
        report: target.report,
        rows: report.rows.length,
        rejected: report.rejected,
      });
    }
  };
}
