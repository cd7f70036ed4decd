import { callerIdentities } from '../../shared/adapters/connect/event';
import { lookupResponse } from '../../shared/adapters/connect/formats';
import { DynamoContactStore } from '../../shared/adapters/dynamodb/contact-store';
import { lookupCaller } from '../../shared/domain/contact-center';
import { maskIdentity } from '../../shared/domain/identity';
import { connectHandler } from '../../shared/runtime/connect-runtime';
import { storeTables, type Runtime } from '../../shared/runtime/runtime';

/** Who is calling? The screen pop from one read of the identity the contact arrives with. */
export function makeConnectLookupHandler(runtime: Runtime) {
  const screenPops = new DynamoContactStore(runtime.doc, storeTables(runtime));
  const { deployment, catalogue } = runtime.config;
  return connectHandler(runtime, async (invocation) => {
    const identity = callerIdentities(invocation, deployment.defaultDocumentType)[0];
    if (identity) runtime.logger.appendKeys({ caller: maskIdentity(identity) });
    const result = await lookupCaller({ screenPops, clock: runtime.clock }, identity, invocation.contactId);
    return lookupResponse(result, catalogue, invocation.language ?? deployment.defaultLanguage);
  });
}
