import { endpointIdentity } from '../../shared/adapters/connect/event';
import { statusResponse } from '../../shared/adapters/connect/formats';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoContactStore } from '../../shared/adapters/dynamodb/contact-store';
import { DynamoVerificationStore } from '../../shared/adapters/dynamodb/verification-store';
import { caseStatusForCaller } from '../../shared/domain/contact-center';
import { connectHandler } from '../../shared/runtime/connect-runtime';
import { storeTables, type Runtime } from '../../shared/runtime/runtime';

/**
 * The ticket status line. Parameter: `ticket` as keyed (spaces or not). The caller must have proved who they
 * are on this contact (the lookup's verification); the case must be theirs.
 */
export function makeConnectCaseStatusHandler(runtime: Runtime) {
  const tables = storeTables(runtime);
  const deps = {
    screenPops: new DynamoContactStore(runtime.doc, tables),
    cases: new DynamoCaseRepository(runtime.doc, tables),
    clock: runtime.clock,
    verification: new DynamoVerificationStore(runtime.doc, tables.citizens, runtime.clock.now),
  };
  const { deployment } = runtime.config;
  return connectHandler(runtime, async (invocation) => {
    const result = await caseStatusForCaller(deps, {
      ticket: invocation.parameters.ticket ?? '',
      identities: [endpointIdentity(invocation)].filter((i) => i !== undefined),
      language: invocation.language ?? deployment.defaultLanguage,
      contactId: invocation.contactId,
    });
    return statusResponse(result);
  });
}
