import { endpointIdentity } from '../../shared/adapters/connect/event';
import { stringMap } from '../../shared/adapters/connect/response';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { DynamoVerificationStore } from '../../shared/adapters/dynamodb/verification-store';
import { AppointmentLine, LINE_SLOTS } from '../../shared/domain/appointment-line';
import { ConfigError, ValidationError } from '../../shared/domain/errors';
import { maskIdentity } from '../../shared/domain/identity';
import { citizenForIdentity } from '../../shared/domain/use-cases';
import { appointmentBookOf } from '../../shared/runtime/appointments';
import { connectHandler } from '../../shared/runtime/connect-runtime';
import { storeTables, type Runtime } from '../../shared/runtime/runtime';

/**
 * Appointments from the flows (`action` parameter): `options` — the caller's booking for `topic` (told only
 * to a caller proved on this contact) and the next free slots, with the words to say; `pick` — a hold on
 * `slot` (or, for a proved caller with a booking, the move); `confirm` / `release` — the caller's answer to
 * their hold (`booking`); `cancel` — a proved caller's booking for `topic`; `reply` — the answer (`keep` or
 * `cancel`) to a reminder or an offer, from the number it went to. Nothing personal goes back into
 * the contact's attributes: slots (office and start), an opaque booking id, and text the flow says at once.
 */
export function makeConnectAppointmentsHandler(runtime: Runtime) {
  const { deployment, catalogue } = runtime.config;
  const book = appointmentBookOf(runtime);
  if (!book) throw new ConfigError('deployment', 'appointments', 'the deployment books no appointments');
  const tables = storeTables(runtime);
  const citizens = new DynamoCitizenRepository(runtime.doc, tables.citizens);
  const verification = new DynamoVerificationStore(runtime.doc, tables.citizens, runtime.clock.now);
  const line = new AppointmentLine({
    book,
    schedule: book.schedule,
    catalogue,
    timeZone: deployment.timeZone,
    citizenById: (id) => citizens.byId(id),
    citizenByIdentity: (identity) => citizens.byIdentity(identity),
    citizenForIdentity: async (identity, language) =>
      (
        await citizenForIdentity({ citizens, clock: runtime.clock, newId: runtime.newId }, identity, {
          language,
        })
      ).citizen,
  });
  return connectHandler(runtime, async (invocation) => {
    const identity = endpointIdentity(invocation);
    if (identity) runtime.logger.appendKeys({ caller: maskIdentity(identity) });
    const p = invocation.parameters;
    const caller = {
      contactId: invocation.contactId,
      channel: invocation.channel,
      language: invocation.language ?? deployment.defaultLanguage,
      ...(identity ? { identity } : {}),
      ...(await verification
        .verifiedCitizen(invocation.contactId)
        .then((id) => (id ? { verifiedCitizenId: id } : {}))),
    };
    const topic = p.topic ?? '';
    switch (p.action) {
      case 'options': {
        const o = await line.options(caller, topic);
        return stringMap('OK', {
          existing: o.existing,
          existingPrompt: o.existingPrompt,
          count: o.slots.length,
          ...Object.fromEntries(
            Array.from({ length: LINE_SLOTS }, (_, i) => [`slot${i + 1}`, o.slots[i] ?? '']),
          ),
          slotsPrompt: o.slotsPrompt,
        });
      }
      case 'pick': {
        const picked = await line.pick(caller, topic, p.slot);
        return stringMap('OK', {
          result: picked.result,
          bookingId: picked.booking.id,
          prompt: picked.prompt,
        });
      }
      case 'confirm': {
        const confirmed = await line.confirm(caller, p.booking);
        return stringMap('OK', { prompt: confirmed.prompt });
      }
      case 'release':
        await line.release(caller, p.booking);
        return stringMap('OK', {});
      case 'cancel': {
        const cancelled = await line.cancel(caller, topic);
        return stringMap('OK', { prompt: cancelled.prompt });
      }
      case 'reply': {
        if (p.answer !== 'keep' && p.answer !== 'cancel')
          throw new ValidationError('answer', 'must be keep or cancel');
        const replied = await line.reply(caller, p.answer);
        return stringMap('OK', { prompt: replied.prompt });
      }
      default:
        throw new ValidationError('action', 'must be options, pick, confirm, release, cancel or reply');
    }
  });
}
