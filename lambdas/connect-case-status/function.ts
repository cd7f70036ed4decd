import { callerIdentities } from '../../shared/adapters/connect/event';
import { statusResponse } from '../../shared/adapters/connect/formats';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoContactStore } from '../../shared/adapters/dynamodb/contact-store';
import { caseStatusForCaller } from '../../shared/domain/contact-center';
import { connectHandler } from '../../shared/runtime/connect-runtime';
import { storeTables, type Runtime } from '../../shared/runtime/runtime';

/**
 * The ticket status line. Parameters: `ticket` as keyed (spaces or not), and optionally `document` (with
 * `documentType`) when the caller proves ownership by document instead of their phone.
 */
export function makeConnectCaseStatusHandler(runtime: Runtime) {
  const tables = storeTables(runtime);
  const deps = {
    screenPops: new DynamoContactStore(runtime.doc, tables),
    cases: new DynamoCaseRepository(runtime.doc, tables),
    clock: runtime.clock,
  };
  const { deployment } = runtime.config;
  return connectHandler(runtime, async (invocation) => {
    const result = await caseStatusForCaller(deps, {
      ticket: invocation.parameters.ticket ?? '',
      identities: callerIdentities(invocation, deployment.defaultDocumentType),
      language: invocation.language ?? deployment.defaultLanguage,
    });
    return statusResponse(result);
  });
}
