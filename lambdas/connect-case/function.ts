import { callerIdentities } from '../../shared/adapters/connect/event';
import { caseResponse } from '../../shared/adapters/connect/formats';
import { DynamoContactStore } from '../../shared/adapters/dynamodb/contact-store';
import { intakeContact } from '../../shared/domain/contact-center';
import { ValidationError } from '../../shared/domain/errors';
import { connectHandler } from '../../shared/runtime/connect-runtime';
import { storeTables, type Runtime } from '../../shared/runtime/runtime';

/**
 * Opens a case on the topic the caller chose, or appends this contact to their open case on it, whatever the
 * channel. Parameters: `topic` (catalogue id), optional `request`, and for web chat `document`/`email`.
 */
export function makeConnectCaseHandler(runtime: Runtime) {
  const { deployment, catalogue, calendar } = runtime.config;
  const intake = new DynamoContactStore(runtime.doc, storeTables(runtime), {
    retentionDays: deployment.retention.contact.days,
  });
  const deps = {
    intake,
    catalogue,
    calendar,
    clock: runtime.clock,
    random: runtime.random,
    newId: runtime.newId,
  };
  return connectHandler(runtime, async (invocation) => {
    const identity = callerIdentities(invocation, deployment.defaultDocumentType)[0];
    if (!identity) throw new ValidationError('customer', 'no phone, email or document identifies the caller');
    const topicId = invocation.parameters.topic;
    if (!topicId) throw new ValidationError('topic', 'is required');
    const outcome = await intakeContact(deps, {
      identity,
      contactId: invocation.contactId,
      initialContactId: invocation.initialContactId,
      channel: invocation.channel,
      topicId,
      ...(invocation.parameters.request ? { request: invocation.parameters.request } : {}),
      ...(invocation.language ? { language: invocation.language } : {}),
    });
    runtime.logger.info('case intake', {
      contactId: invocation.contactId,
      ticket: outcome.ticket,
      result: outcome.result,
    });
    return caseResponse(outcome);
  });
}
