import { callerIdentities, endpointIdentity } from '../../shared/adapters/connect/event';
import { lookupResponse } from '../../shared/adapters/connect/formats';
import { DynamoContactStore } from '../../shared/adapters/dynamodb/contact-store';
import { DynamoSurgeStore } from '../../shared/adapters/dynamodb/surge-store';
import { DynamoVerificationStore } from '../../shared/adapters/dynamodb/verification-store';
import { lookupCaller, verifyAndLookUp } from '../../shared/domain/contact-center';
import { maskIdentity } from '../../shared/domain/identity';
import { departmentsInSurge, surgeAttributes, type SurgeSwitch } from '../../shared/domain/surge';
import { connectHandler } from '../../shared/runtime/connect-runtime';
import { need, storeTables, type Runtime } from '../../shared/runtime/runtime';

/**
 * Who is calling? The screen pop from one read of the identity the contact arrives with — and nothing
 * personal in the answer (names, topics) unless the caller proves who they are: with parameter
 * `verifyDocument`, the digits they keyed are checked against the document on record (`verifyCaller`).
 * The first lookup of a contact also says which departments are in surge (`surge_<department>`, "true" or
 * "false"), read from the switches as they are now: a switch changes what the next caller hears, without a
 * redeploy.
 */
export function makeConnectLookupHandler(runtime: Runtime) {
  const tables = storeTables(runtime);
  const screenPops = new DynamoContactStore(runtime.doc, tables);
  const departments = runtime.config.deployment.departments.map((d) => d.id);
  const surge = new DynamoSurgeStore(runtime.doc, need(runtime.settings, 'metricsTable'), departments);
  /** The switches; unread, no surge (the caller is served as on a calm day). */
  const board = () =>
    surge.board().catch((error: unknown): SurgeSwitch[] => {
      runtime.logger.warn('surge switches unread', { error: (error as Error).name });
      return [];
    });
  const { deployment, catalogue, calendar } = runtime.config;
  const verification = {
    store: new DynamoVerificationStore(runtime.doc, tables.citizens, runtime.clock.now),
    clock: runtime.clock,
    maxFailuresPerDay: deployment.callerVerification.maxFailuresPerDay,
    dayOf: (at: Date) => calendar.local(at).date,
  };
  return connectHandler(runtime, async (invocation) => {
    const keyed = invocation.parameters.verifyDocument;
    // Proof is checked against the number the contact arrives from, never against anything passed in.
    const identity =
      keyed === undefined
        ? callerIdentities(invocation, deployment.defaultDocumentType)[0]
        : endpointIdentity(invocation);
    if (identity) runtime.logger.appendKeys({ caller: maskIdentity(identity) });
    if (keyed !== undefined) {
      const result = await verifyAndLookUp(
        { screenPops, verification },
        identity,
        invocation.contactId,
        keyed,
      );
      if (result.verification) runtime.logger.info('caller verification', { outcome: result.verification });
      return lookupResponse(result, catalogue, invocation.language ?? deployment.defaultLanguage);
    }
    const [result, switches] = await Promise.all([
      lookupCaller({ screenPops, clock: runtime.clock }, identity, invocation.contactId),
      board(),
    ]);
    return {
      ...lookupResponse(result, catalogue, invocation.language ?? deployment.defaultLanguage),
      ...surgeAttributes(departmentsInSurge(switches, departments), departments),
    };
  });
}
