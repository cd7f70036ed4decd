import { S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import { DynamoBackOfficeStore } from '../../shared/adapters/dynamodb/backoffice-store';
import { importIdOf } from '../../shared/adapters/http/backoffice-routes';
import { importOf, S3Exchange } from '../../shared/adapters/s3/exchange';
import { runImport } from '../../shared/domain/backoffice';
import { parseInput } from '../../shared/domain/schema';
import { documentClientFromEnv } from '../../shared/runtime/dynamodb';
import { ENV, required } from '../../shared/runtime/env';
import { createLogger } from '../../shared/runtime/logger';

/**
 * An agency uploads its answers to `imports/<department>/<file>.csv` (or `imports/<department>/dry-run/…` to
 * check a file without writing); this function imports the rows of that department and writes the per-row
 * report to `reports/<department>/<file>.report.json`. The same file uploaded twice changes nothing the
 * second time. A failure throws, so S3's asynchronous invocation retries it and then keeps the event.
 */
const env = process.env;
const logger = createLogger('answer-import');
const doc = documentClientFromEnv(env, { requestTimeoutMs: 5000 });
const store = new DynamoBackOfficeStore(doc, {
  cases: required(env, ENV.CASES_TABLE),
  citizens: required(env, ENV.CITIZENS_TABLE),
});
const exchange = new S3Exchange(new S3Client({}), required(env, ENV.EXCHANGE_BUCKET));
const MAX_FILE = 20 * 1024 * 1024;

const s3Event = z.object({
  Records: z.array(z.object({ s3: z.object({ object: z.object({ key: z.string() }) }) })),
});

export const handler = async (event: unknown) => {
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
    const report = await runImport(store, { now: () => new Date(), importIdOf }, text, {
      dryRun: target.dryRun,
      departments: [target.department],
    });
    await exchange.put(target.report, JSON.stringify({ file: key, ...report }, null, 2), 'application/json');
    logger.info('import done', {
      key,
      report: target.report,
      rows: report.rows.length,
      rejected: report.rejected,
    });
  }
};
