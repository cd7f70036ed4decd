import { DynamoBackOfficeStore } from '../../shared/adapters/dynamodb/backoffice-store';
import { exportKeys, type S3Exchange } from '../../shared/adapters/s3/exchange';
import { exportCsv, runExport } from '../../shared/domain/backoffice';
import { storeTables, type Runtime } from '../../shared/runtime/runtime';

/**
 * The morning export, started every day by EventBridge Scheduler: each department that works today by the
 * business calendar gets its batch of OPEN cases as CSV (UTF-8 with BOM) and JSON in the exchange bucket.
 * Safe to run again: an export resumes after a stop and never moves a case twice.
 */
export function makeDailyExportHandler(runtime: Runtime, ports: { exchange: Pick<S3Exchange, 'put'> }) {
  const { calendar, deployment, catalogue } = runtime.config;
  const { logger, clock } = runtime;
  const { exchange } = ports;
  const departments = deployment.departments.map((d) => d.id);
  const store = new DynamoBackOfficeStore(runtime.doc, storeTables(runtime), {
    keepDays: runtime.config.deployment.retention.exportFile.days,
    now: runtime.clock.now,
  });
  return async () => {
    const now = clock.now();
    const date = calendar.local(now).date;
    const done = [];
    for (const department of departments) {
      if (!calendar.isBusinessDay(department, date)) continue;
      const report = await runExport(
        store,
        { catalogue, now: () => now, localDate: (at) => calendar.local(at).date },
        department,
      );
      const keys = exportKeys(date, department, report.batchId);
      await exchange.put(keys.csv, exportCsv(report.rows), 'text/csv; charset=utf-8');
      await exchange.put(keys.json, JSON.stringify(report.rows), 'application/json');
      done.push({
        department,
        batchId: report.batchId,
        rows: report.rows.length,
        exported: report.exported,
        rectified: report.rectified,
      });
    }
    logger.info('export done', {
      date,
      departments: done.length,
      rows: done.reduce((n, d) => n + d.rows, 0),
    });
    return { date, exports: done };
  };
}
