import { ValidationError } from './errors';
import { documentIdentity, type Identity, type NationalDocument } from './identity';
import { cleanText, FORMULA_START, normalizeName } from './text';

export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

export interface Consents {
  /** May be sent SMS about their cases. */
  readonly sms?: boolean;
  /** May be sent WhatsApp messages about their cases. */
  readonly whatsapp?: boolean;
}

export interface Citizen {
  readonly id: string;
  readonly givenNames?: string;
  readonly surnames?: string;
  readonly document?: NationalDocument;
  readonly language: Language;
  readonly consents: Consents;
  /** Every identity that reaches this citizen; each is unique across citizens. */
  readonly identities: readonly Identity[];
  /** Created from a bare phone or address by a contact, not yet verified by a person. */
  readonly provisional: boolean;
  /** Set when this citizen was merged into another: the record only points there and has no identities. */
  readonly mergedInto?: string;
  /** Citizens merged into this one (their timelines are part of this one's). */
  readonly mergedFrom?: readonly string[];
  /** Set when the citizen was erased: the record is a pseudonym without a person, readable with a reason. */
  readonly erasedAt?: string;
  readonly erasure?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export interface NewCitizenInput {
  readonly givenNames?: string;
  readonly surnames?: string;
  readonly document?: NationalDocument;
  readonly language?: Language;
  readonly consents?: Consents;
  /** Phone and email identities, already normalised; the document identity is derived. */
  readonly identities?: readonly Identity[];
  readonly provisional?: boolean;
}

const MAX_NAME = 100;
/** A person's names as kept: cleaned, one space between words; undefined when empty; a ValidationError naming
 * `field` for a formula's start, more than 100 characters or no letter. */
export function personName(field: string, value: string | undefined): string | undefined {
  const trimmed = value === undefined ? undefined : cleanText(value).replace(/\s+/g, ' ');
  if (!trimmed) return undefined;
  if (FORMULA_START.test(trimmed)) throw new ValidationError(field, 'must not begin with =, +, - or @');
  if (trimmed.length > MAX_NAME) throw new ValidationError(field, `must be at most ${MAX_NAME} characters`);
  if (normalizeName(trimmed) === '') throw new ValidationError(field, 'must contain letters');
  return trimmed;
}

export function newCitizen(input: NewCitizenInput, id: string, now: string): Citizen {
  const givenNames = personName('givenNames', input.givenNames);
  const surnames = personName('surnames', input.surnames);
  const identities: Identity[] = [...(input.identities ?? [])];
  if (input.document) identities.push(documentIdentity(input.document));
  if (identities.length === 0)
    throw new ValidationError('identities', 'at least one phone, email or document is required');
  const seen = new Set<string>();
  for (const identity of identities) {
    const key = `${identity.kind}#${identity.value}`;
    if (seen.has(key)) throw new ValidationError('identities', 'contains the same identity twice');
    seen.add(key);
  }
  return {
    id,
    ...(givenNames ? { givenNames } : {}),
    ...(surnames ? { surnames } : {}),
    ...(input.document ? { document: input.document } : {}),
    language: input.language ?? 'es',
    consents: input.consents ?? {},
    identities,
    provisional: input.provisional ?? !(givenNames && surnames),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** The search key of a citizen's surnames, or undefined when they have none. */
export const surnameKey = (citizen: Pick<Citizen, 'surnames'>): string | undefined =>
  citizen.surnames ? normalizeName(citizen.surnames) || undefined : undefined;
