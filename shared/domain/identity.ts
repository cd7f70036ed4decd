import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { parseE164 } from './e164';
import { ValidationError } from './errors';

/**
 * An identity is a key that reaches one citizen. Voice, SMS and WhatsApp from one phone are the same
 * PHONE identity. Values are always normalised: E.164 phones, lower-case emails, compact upper-case
 * documents prefixed by their type.
 */
export type IdentityKind = 'PHONE' | 'EMAIL' | 'DOCUMENT';
export interface Identity {
  readonly kind: IdentityKind;
  readonly value: string;
}

export type { CountryCode };

/** Phone → E.164, read against the deployment's default country when it has no international prefix. */
export function normalizePhone(raw: unknown, defaultCountry: CountryCode, field = 'phone'): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ValidationError(field, 'is required');
  if (raw.length > 40) throw new ValidationError(field, 'is too long');
  // WhatsApp addresses sometimes arrive as "whatsapp:+507…"; the number is the identity.
  const cleaned = raw.trim().replace(/^whatsapp:/i, '');
  if (!/^[+\d][\d\s().\-/]*$/.test(cleaned)) throw new ValidationError(field, 'is not a phone number');
  const parsed = parsePhoneNumberFromString(cleaned, defaultCountry);
  if (!parsed || !parsed.isPossible()) throw new ValidationError(field, 'is not a possible phone number');
  // A number only dialled locally ("+1 310 3484": seven digits where North America needs ten) is never what
  // the network sends: it would be a key no call could reach.
  if (!parseE164(parsed.number))
    throw new ValidationError(field, 'is not a complete international number (its area code is missing)');
  return parsed.number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function normalizeEmail(raw: unknown, field = 'email'): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ValidationError(field, 'is required');
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw new ValidationError(field, 'is not an email address');
  return email;
}

export interface NationalDocument {
  /** Document type code, e.g. CEDULA, PASSPORT, RUC. */
  readonly type: string;
  /** Number with dots, dashes and spaces removed, upper-cased. */
  readonly number: string;
}

export function normalizeDocument(
  rawType: unknown,
  rawNumber: unknown,
  field = 'document',
): NationalDocument {
  if (typeof rawType !== 'string' || !/^[A-Za-z_]{2,16}$/.test(rawType.trim()))
    throw new ValidationError(`${field}.type`, 'must be 2 to 16 letters');
  if (typeof rawNumber !== 'string') throw new ValidationError(`${field}.number`, 'is required');
  const number = rawNumber.replace(/[.\-\s]/g, '').toUpperCase();
  if (number === '') throw new ValidationError(`${field}.number`, 'is required');
  if (!/^[A-Z0-9]{1,24}$/.test(number))
    throw new ValidationError(`${field}.number`, 'must be letters and digits');
  return { type: rawType.trim().toUpperCase(), number };
}

export const phoneIdentity = (raw: unknown, country: CountryCode, field?: string): Identity => ({
  kind: 'PHONE',
  value: normalizePhone(raw, country, field),
});
export const emailIdentity = (raw: unknown, field?: string): Identity => ({
  kind: 'EMAIL',
  value: normalizeEmail(raw, field),
});
export const documentIdentity = (doc: NationalDocument): Identity => ({
  kind: 'DOCUMENT',
  value: `${doc.type}#${doc.number}`,
});

/** Masks an identity value for logs: "+5076***1234", "j***@example.org", "CEDULA#8***56". */
export function maskIdentity(identity: Identity): string {
  return identity.kind === 'EMAIL' ? maskEmail(identity.value) : maskMiddle(identity.value);
}

export function maskMiddle(value: string): string {
  if (value.length <= 4) return '***';
  const keep = Math.min(4, Math.floor(value.length / 4));
  return `${value.slice(0, keep)}***${value.slice(-keep)}`;
}

function maskEmail(value: string): string {
  const at = value.indexOf('@');
  return `${value.slice(0, 1)}***${value.slice(at)}`;
}
