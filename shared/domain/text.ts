import { ValidationError } from './errors';
/**
 * Normalises a name for search: case-, accent- and punctuation-insensitive.
 * "Pérez-Núñez" and "PEREZ nuñez" both become "PEREZ NUNEZ". Idempotent.
 */
export function normalizeName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Control characters (but line breaks) and the bidirectional controls that can disguise what text says. */
/* eslint-disable no-control-regex -- matching control characters is the point */
const UNSAFE =
  /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

/**
 * Free text as it is stored and shown: line breaks kept (as "\n"), tabs as spaces, every other control
 * character and bidirectional override removed, so a note, an answer or a name reads as it is written
 * wherever it is shown or exported. Trimmed.
 */
export function cleanText(raw: string): string {
  return raw.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(UNSAFE, '').trim();
}

/**
 * A reason staff give for an act that is kept (a merge, an identity added, a privacy request): cleaned, required
 * (`missing` says what to give), at most 500 characters.
 */
export function requiredReason(raw: unknown, missing = 'is required', field = 'reason'): string {
  const reason = typeof raw === 'string' ? cleanText(raw) : '';
  if (!reason) throw new ValidationError(field, missing);
  if (reason.length > 500) throw new ValidationError(field, 'must be at most 500 characters');
  return reason;
}

/** A request's reference, never free text: a privacy log that keeps it holds nothing personal. */
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,63}$/;

/** A request's reference as given, or a ValidationError naming `field`. */
export function requestReference(reference: unknown, field = 'reference'): string {
  if (typeof reference !== 'string' || !REFERENCE.test(reference))
    throw new ValidationError(
      field,
      "is required: the request's reference (letters, digits, spaces and . _ / -, at most 64), never personal data",
    );
  return reference;
}

/** What a spreadsheet would take as a formula when it begins a cell (OWASP, "CSV Injection"). */
export const FORMULA_START = /^[=+\-@\t\r]/;
