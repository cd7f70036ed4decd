import type { CaseStatus } from './case';
import type { Language } from './citizen';

const STATUS: Record<Language, Record<CaseStatus, string>> = {
  es: {
    OPEN: 'Su solicitud está registrada y en espera de atención.',
    PENDING_RESPONSE: 'Su solicitud está en revisión por la dependencia responsable.',
    PENDING_COMMUNICATION: 'Ya tenemos respuesta a su solicitud.',
    COMMUNICATED: 'Su solicitud ya fue respondida.',
    RESOLVED: 'Su solicitud quedó resuelta.',
    CANCELLED: 'Su solicitud fue cancelada.',
  },
  en: {
    OPEN: 'Your request is registered and waiting to be handled.',
    PENDING_RESPONSE: 'Your request is being reviewed by the department in charge.',
    PENDING_COMMUNICATION: 'We have an answer to your request.',
    COMMUNICATED: 'Your request has been answered.',
    RESOLVED: 'Your request was resolved.',
    CANCELLED: 'Your request was cancelled.',
  },
};
const ANSWER_INTRO: Record<Language, string> = { es: 'La respuesta es:', en: 'The answer is:' };

/** A short status line for the caller, with the answer when there is one to give. */
export function statusMessage(status: CaseStatus, language: Language, answer?: string): string {
  const line = STATUS[language][status];
  return answer && (status === 'PENDING_COMMUNICATION' || status === 'COMMUNICATED')
    ? `${line} ${ANSWER_INTRO[language]} ${answer}`
    : line;
}
