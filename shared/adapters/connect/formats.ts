import type { Catalogue } from '../../domain/catalogue';
import type { Language } from '../../domain/citizen';
import type { IntakeOutcome } from '../../domain/ports';
import type { LookupResult, StatusResult } from '../../domain/contact-center';
import { speakTicket } from '../../domain/ticket';
import { stringMap, type StringMap } from './response';

/**
 * The caller lookup's answer. Every key is always present, so flows can test any of them. Who the citizen is
 * and what their cases are about is told only to a caller verified on this contact: a number alone gets
 * whether it is on record and its language.
 */
export function lookupResponse(result: LookupResult, catalogue: Catalogue, fallback: Language): StringMap {
  const { summary, pop } = result;
  const language = summary?.language ?? fallback;
  const verified = result.verification === 'VERIFIED';
  const open = verified ? pop?.openCase : undefined;
  return stringMap('OK', {
    found: Boolean(summary),
    verified,
    verification: result.verification,
    citizenId: verified ? summary?.citizenId : undefined,
    firstName: verified ? summary?.firstName : undefined,
    language,
    openCaseCount: verified ? (pop?.openCaseCount ?? 0) : 0,
    openCaseTicket: open?.ticket,
    openCaseTicketSpoken: open ? speakTicket(open.ticket) : undefined,
    openCaseTopic: open ? catalogue.name(open.topicId, language) : undefined,
    openCaseStatus: open?.status,
    contactsLast7Days: pop?.contactsLast7Days ?? 0,
    repeatContact: pop?.repeatContact ?? false,
    lastChannel: pop?.lastChannel,
  });
}

export const caseResponse = (outcome: IntakeOutcome): StringMap =>
  stringMap('OK', {
    ticket: outcome.ticket,
    ticketSpoken: speakTicket(outcome.ticket),
    result: outcome.result,
  });

export const statusResponse = (result: StatusResult): StringMap =>
  stringMap(result.outcome, {
    ticket: result.outcome === 'OK' ? result.ticket : undefined,
    ticketSpoken: result.outcome === 'OK' && result.ticket ? speakTicket(result.ticket) : undefined,
    status: result.status,
    message: result.message,
    language: result.language,
  });
