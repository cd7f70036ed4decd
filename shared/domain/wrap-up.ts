import { MAX_TEXT, type Actor, type Case, type Channel } from './case';
import type { Catalogue } from './catalogue';
import type { ContactRecord, WrapUp } from './contact';
import { ValidationError } from './errors';
import { currentCitizen } from './merge';
import type { CaseRepository, CitizenRepository, Clock } from './ports';
import { cleanText } from './text';
import { parseTicket } from './ticket';

export interface WrapUpRequest {
  readonly contactId: string;
  readonly citizenId: string;
  readonly channel: Channel;
  /** When the contact began (the panel has it from the contact); the timeline orders by it. */
  readonly startedAt: string;
  readonly topicId?: string;
  readonly ticket?: string;
  readonly note?: string;
  readonly actor: Actor;
}

/**
 * After-contact work: the contact's topic and the agent's note go on the citizen's timeline, on the contact
 * itself (recorded now if the flows did not record it, e.g. a caller registered during the contact), and the
 * case worked during the contact, when there is one, counts the contact among its own. A second wrap-up of the
 * same contact replaces the first; a contact already on another citizen's timeline is refused.
 */
export async function wrapUpContact(
  deps: {
    readonly citizens: CitizenRepository;
    readonly cases: Pick<CaseRepository, 'byTicket' | 'appendContact'>;
    readonly catalogue: Pick<Catalogue, 'get'>;
    readonly clock: Clock;
  },
  req: WrapUpRequest,
): Promise<ContactRecord> {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(req.contactId))
    throw new ValidationError('contactId', 'must be a contact id (letters, digits, - and _)');
  const note = req.note === undefined ? undefined : cleanText(req.note);
  if (note !== undefined && note.length > MAX_TEXT)
    throw new ValidationError('note', `must be at most ${MAX_TEXT} characters`);
  if (req.topicId !== undefined && !deps.catalogue.get(req.topicId))
    throw new ValidationError('topicId', `unknown topic "${req.topicId}"`);
  if (!note && req.topicId === undefined)
    throw new ValidationError('note', "give the contact's topic, a note, or both");
  if (Number.isNaN(Date.parse(req.startedAt))) throw new ValidationError('startedAt', 'must be an instant');
  const citizen = await currentCitizen(deps.citizens, req.citizenId);
  let worked: Case | undefined;
  if (req.ticket !== undefined) {
    worked = await deps.cases.byTicket(parseTicket(req.ticket));
    if (!worked || (await currentCitizen(deps.citizens, worked.citizenId)).id !== citizen.id)
      throw new ValidationError('ticket', "is not one of this citizen's cases");
  }
  const ticket = worked?.ticket;
  const wrapUp: WrapUp = {
    ...(req.topicId !== undefined ? { topicId: req.topicId } : {}),
    ...(note ? { note } : {}),
    by: req.actor,
    at: deps.clock.now().toISOString(),
  };
  let place = await deps.citizens.contactPlace(req.contactId);
  if (!place) {
    const record: ContactRecord = {
      contactId: req.contactId,
      initialContactId: req.contactId,
      citizenId: citizen.id,
      channel: req.channel,
      at: new Date(req.startedAt).toISOString(),
      ...(ticket ? { ticket } : {}),
      ...(req.topicId !== undefined ? { topicId: req.topicId } : {}),
    };
    await deps.citizens.appendContact(record);
    place = await deps.citizens.contactPlace(req.contactId);
  }
  if (!place || (await currentCitizen(deps.citizens, place.citizenId)).id !== citizen.id)
    throw new ValidationError('contactId', "is on another citizen's timeline");
  // The case worked during the contact counts the contact among its own (once, however often wrapped up).
  if (worked)
    await deps.cases.appendContact({
      ticket: worked.ticket,
      contactId: req.contactId,
      channel: req.channel,
      at: new Date(req.startedAt).toISOString(),
      topicId: worked.topicId,
      departmentId: worked.departmentId,
    });
  return deps.citizens.attachWrapUp(place, req.contactId, wrapUp);
}
