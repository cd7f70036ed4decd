import { S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { DynamoBackOfficeStore } from '../../shared/adapters/dynamodb/backoffice-store';
import { exportKeys, S3Exchange } from '../../shared/adapters/s3/exchange';
import { readCompiledConfig } from '../../shared/config/compiled';
import { EXPORT_COLUMNS, runExport } from '../../shared/domain/backoffice';
import { toCsv } from '../../shared/domain/csv';
import { documentClientFromEnv } from '../../shared/runtime/dynamodb';
import { ENV, required } from '../../shared/runtime/env';
import { createLogger } from '../../shared/runtime/logger';

/**
 * The morning export, started every day by EventBridge Scheduler: each department that works today by the
 * business calendar gets its batch of OPEN cases as CSV (UTF-8 with BOM) and JSON in the exchange bucket.
 * Safe to run again: an export resumes after a stop and never moves a case twice.
 */
const env = process.env;
const config = readCompiledConfig(env[ENV.CONFIG_FILE] ?? join(__dirname, 'config.json'));
const { calendar, deployment } = config;
const logger = createLogger('daily-export');
const doc = documentClientFromEnv(env, { requestTimeoutMs: 5000 });
const tables = { cases: required(env, ENV.CASES_TABLE), citizens: required(env, ENV.CITIZENS_TABLE) };
const departments = deployment.departments.map((d) => d.id);

const store = new DynamoBackOfficeStore(doc, tables);
const exchange = new S3Exchange(new S3Client({}), required(env, ENV.EXCHANGE_BUCKET));

export const handler = async () => {
  const now = new Date();
  const date = calendar.local(now).date;
  const done = [];
  for (const department of departments) {
    if (!calendar.isBusinessDay(department, date)) continue;
    const report = await runExport(
      store,
      { catalogue: config.catalogue, now: () => now, localDate: (at) => calendar.local(at).date },
      department,
    );
    const keys = exportKeys(date, department, report.batchId);
    const rows = report.rows.map((r) => EXPORT_COLUMNS.map((c) => r[c]));
    await exchange.put(keys.csv, toCsv(EXPORT_COLUMNS, rows), 'text/csv; charset=utf-8');
    await exchange.put(keys.json, JSON.stringify(report.rows), 'application/json');
    done.push({ department, batchId: report.batchId, rows: report.rows.length, exported: report.exported });
  }
  logger.info('export done', { date, departments: done.length, rows: done.reduce((n, d) => n + d.rows, 0) });
  return { date, exports: done };
};
