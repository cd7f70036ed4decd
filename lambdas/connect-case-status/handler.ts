import { callerIdentities } from '../../shared/adapters/connect/event';
import { statusResponse } from '../../shared/adapters/connect/formats';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoContactStore } from '../../shared/adapters/dynamodb/contact-store';
import { caseStatusForCaller } from '../../shared/domain/contact-center';
import { connectHandler, connectRuntime } from '../../shared/runtime/connect-runtime';

/**
 * The ticket status line. Parameters: `ticket` as keyed (spaces or not), and optionally `document` (with
 * `documentType`) when the caller proves ownership by document instead of their phone.
 */
const runtime = connectRuntime(process.env, 'connect-case-status', __dirname);
const deps = {
  screenPops: new DynamoContactStore(runtime.doc, runtime.tables),
  cases: new DynamoCaseRepository(runtime.doc, runtime.tables),
  clock: runtime.clock,
};
const { deployment } = runtime.config;

export const handler = connectHandler(runtime, async (invocation) => {
  const result = await caseStatusForCaller(deps, {
    ticket: invocation.parameters.ticket ?? '',
    identities: callerIdentities(invocation),
    language: invocation.language ?? deployment.defaultLanguage,
  });
  return statusResponse(result);
});
