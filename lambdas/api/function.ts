import { DynamoBackOfficeStore } from '../../shared/adapters/dynamodb/backoffice-store';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoCitizenLinks } from '../../shared/adapters/dynamodb/citizen-links';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { DynamoContactDataLog, DynamoOutbox, DynamoTaskOutbox } from '../../shared/adapters/dynamodb/outbox';
import { adminRoutes } from '../../shared/adapters/http/admin-routes';
import { parseApiEvent, route, type Route } from '../../shared/adapters/http/api';
import { backOfficeRoutes } from '../../shared/adapters/http/backoffice-routes';
import { metricsRoutes } from '../../shared/adapters/http/metrics-routes';
import { surgeRoutes } from '../../shared/adapters/http/surge-routes';
import { DynamoSurgeStore } from '../../shared/adapters/dynamodb/surge-store';
import { workbenchRoutes } from '../../shared/adapters/http/workbench-routes';
import { QueueMap } from '../../shared/domain/departments';
import { DEFAULT_DASHBOARD } from '../../shared/domain/deployment';
import type { StaffDirectory } from '../../shared/domain/staff';
import { DynamoAdminAudit } from '../../shared/adapters/dynamodb/admin-audit';
import { DynamoImportLog } from '../../shared/adapters/dynamodb/import-log';
import { need, storeTables, type Runtime } from '../../shared/runtime/runtime';
import { appointmentRoutes } from '../../shared/adapters/http/appointment-routes';
import { privacyRoutes } from '../../shared/adapters/http/privacy-routes';
import { DynamoPrivacyLog } from '../../shared/adapters/dynamodb/privacy-log';
import { DynamoReadAudit } from '../../shared/adapters/dynamodb/read-audit';
import { DynamoSubjectStore } from '../../shared/adapters/dynamodb/subject-store';
import { DynamoErasureStore } from '../../shared/adapters/dynamodb/erasure-store';
import { DynamoHoldStore } from '../../shared/adapters/dynamodb/legal-holds';
import { DynamoRetentionStore } from '../../shared/adapters/dynamodb/retention-store';
import type { ContactDataEraser } from '../../shared/domain/erasure';
import type { EligibilityCheck } from '../../shared/domain/eligibility';
import type { FileStore } from '../../shared/domain/documents';
import { visitWithFilesOf } from '../../shared/runtime/visit';
import { appointmentBookOf } from '../../shared/runtime/appointments';

/** The staff HTTP API: parse → route (role checked) → JSON. Metrics, the case workbench, back office, admin. */
export function makeApiHandler(
  runtime: Runtime,
  ports: {
    staff: StaffDirectory;
    /** Connect's DeleteContactData in AWS; locally, a record of the contacts it would erase. */
    contactData?: ContactDataEraser;
    /** The deployment's agency checks (locally, against the fake agency). */
    eligibility?: EligibilityCheck;
    /** Where the citizens' documents are (the uploads bucket; locally, the back end). */
    files?: FileStore;
  },
) {
  const { calendar, deployment, catalogue } = runtime.config;
  const { doc, logger, clock } = runtime;
  const tables = storeTables(runtime);
  const cases = new DynamoCaseRepository(doc, tables);
  const core = {
    citizens: new DynamoCitizenRepository(doc, tables.citizens),
    cases,
    notes: cases,
    links: new DynamoCitizenLinks(doc, tables),
    privacy: new DynamoPrivacyLog(doc, tables.cases),
    reads: new DynamoReadAudit(doc, tables.cases),
    clock,
    random: runtime.random,
    newId: runtime.newId,
    calendar,
    catalogue,
    deployment,
  };
  const metrics = metricsRoutes({
    reader: new DynamoMetricsStore(doc, need(runtime.settings, 'metricsTable'), {
      queues: new QueueMap(runtime.settings.queueDepartments),
    }),
    clock,
    localDate: (at) => calendar.local(new Date(at)).date,
    deployment: {
      timeZone: deployment.timeZone,
      serviceLevelSeconds: deployment.serviceLevelSeconds,
      settings: deployment.dashboard ?? DEFAULT_DASHBOARD,
      departments: deployment.departments.map((d) => ({ id: d.id, name: d.name })),
      topics: catalogue.entries.map((t) => ({ id: t.id, name: t.name })),
      dayStart: (date) => calendar.instantAt(date, 0),
    },
  });
  const backOffice = backOfficeRoutes({
    store: new DynamoBackOfficeStore(doc, tables, {
      keepDays: deployment.retention.exportFile.days,
      now: runtime.clock.now,
    }),
    log: new DynamoImportLog(doc, tables.cases),
    departments: deployment.departments.map((d) => d.id),
    departmentNames: deployment.departments.map((d) => ({ id: d.id, name: d.name })),
    catalogue,
    now: clock.now,
    localDate: (at) => calendar.local(at).date,
  });
  /** A supervisors' list of what would have left the system, locally. */
  const listing = (path: string, list: () => Promise<readonly unknown[]>): Route => ({
    method: 'GET',
    path,
    roles: ['supervisor', 'admin'],
    handle: async () => ({ items: await list() }),
  });
  const outbox = new DynamoOutbox(doc, tables.cases);
  const tasks = new DynamoTaskOutbox(doc, tables.cases);
  // Locally, what would have been sent by SMS or WhatsApp, and the follow-up tasks agents would have had.
  const outboxRoute = listing('/outbox', () => outbox.list());
  const tasksRoute = listing('/tasks', () => tasks.list());
  const admin = adminRoutes({
    staff: ports.staff,
    audit: new DynamoAdminAudit(doc, tables.cases),
    deployment,
    catalogue: catalogue.entries,
    clock,
    newId: runtime.newId,
  });
  const book = appointmentBookOf(runtime);
  const visit = visitWithFilesOf(runtime, book, ports);
  const appointments = book
    ? appointmentRoutes({
        book,
        citizens: core.citizens,
        cases: core.cases,
        defaultDocumentType: deployment.defaultDocumentType,
        ...(ports.eligibility ? { eligibility: ports.eligibility } : {}),
        checkNames: Object.fromEntries(Object.entries(deployment.agencyChecks).map(([k, c]) => [k, c.name])),
        ...(visit ? { visit } : {}),
      })
    : [];
  const surge = surgeRoutes({
    store: new DynamoSurgeStore(
      doc,
      need(runtime.settings, 'metricsTable'),
      deployment.departments.map((d) => d.id),
    ),
    departments: deployment.departments.map((d) => d.id),
    clock,
    localDate: (at) => calendar.local(at).date,
    dayStart: (date) => calendar.instantAt(date, 0),
  });
  const privacy = privacyRoutes({
    subjects: new DynamoSubjectStore(doc, tables),
    privacy: core.privacy,
    reads: core.reads,
    localDate: (at: Date) => calendar.local(at).date,
    erasure: new DynamoErasureStore(doc, tables),
    holds: new DynamoHoldStore(doc, tables),
    cases,
    citizens: core.citizens,
    links: core.links,
    catalogue,
    retention: new DynamoRetentionStore(doc, tables.cases),
    contactData: ports.contactData ?? new DynamoContactDataLog(doc, tables.cases, clock.now),
    clock,
    newId: runtime.newId,
    ...(ports.files ? { files: ports.files } : {}),
  });
  const routes = [
    ...metrics,
    ...surge,
    ...workbenchRoutes(core),
    ...backOffice,
    ...admin,
    ...privacy,
    ...appointments,
    outboxRoute,
    tasksRoute,
  ];

  const handler = async (event: unknown) => {
    const request = parseApiEvent(event);
    // A disabled account is refused from its next request, whatever token it still holds.
    const response = (await ports.staff.isEnabled(request.user))
      ? await route(routes, request)
      : {
          statusCode: 401,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
          body: JSON.stringify({ code: 'ACCOUNT_DISABLED', message: 'this account is disabled' }),
        };
    logger.info('request', {
      method: request.method,
      path: request.path,
      status: response.statusCode,
      user: request.user,
    });
    return response;
  };
  // The routes it serves, for the check that the HTTP API in AWS routes every one of them here.
  return Object.assign(handler, { routes: routes.map((r) => [r.method, r.path] as const) });
}
