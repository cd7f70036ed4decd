import { ACTOR_ROLES, CHANNELS } from '../../domain/case';
import { LANGUAGES, surnameKey, type Citizen } from '../../domain/citizen';
import type { ContactRecord } from '../../domain/contact';
import type { Identity } from '../../domain/identity';
import * as z from 'zod/mini';
import type { ScreenPopSummary } from '../../domain/screen-pop';
import { normalizeName } from '../../domain/text';
import type { Ticket } from '../../domain/ticket';

/** Key builders of the citizens table. See docs/access-patterns.md. */
export const citizenKeys = {
  profile: (id: string) => ({ pk: `CIT#${id}`, sk: 'PROFILE' }),
  identity: (identity: Identity) => ({ pk: `ID#${identity.kind}#${identity.value}`, sk: 'ID' }),
  contact: (citizenId: string, at: string, contactId: string) => ({
    pk: `CIT#${citizenId}`,
    sk: `CONTACT#${at}#${contactId}`,
  }),
  contactPrefix: 'CONTACT#',
  /** Guards the timeline against a second record of the same ContactId. */
  contactGuard: (contactId: string) => ({ pk: `CONTACTID#${contactId}`, sk: 'CONTACTID' }),
  surnamePartition: (normalizedQuery: string) => `SURNAME#${normalizedQuery.split(' ')[0]}`,
};

const identitySchema = z.object({ kind: z.enum(['PHONE', 'EMAIL', 'DOCUMENT']), value: z.string() });
const profileSchema = z.object({
  id: z.string(),
  givenNames: z.optional(z.string()),
  surnames: z.optional(z.string()),
  document: z.optional(z.object({ type: z.string(), number: z.string() })),
  language: z.enum(LANGUAGES),
  consents: z.object({ sms: z.optional(z.boolean()), whatsapp: z.optional(z.boolean()) }),
  identities: z.array(identitySchema),
  provisional: z.boolean(),
  mergedInto: z.optional(z.string()),
  mergedFrom: z.optional(z.array(z.string())),
  erasedAt: z.optional(z.string()),
  erasure: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
const contactSchema = z.object({
  contactId: z.string(),
  initialContactId: z.string(),
  citizenId: z.string(),
  channel: z.enum(CHANNELS),
  at: z.string(),
  ticket: z.optional(z.string()),
  topicId: z.optional(z.string()),
  wrapUp: z.optional(
    z.object({
      topicId: z.optional(z.string()),
      note: z.optional(z.string()),
      by: z.object({ id: z.string(), role: z.enum(ACTOR_ROLES) }),
      at: z.string(),
    }),
  ),
});

export function profileItem(citizen: Citizen): Record<string, unknown> {
  const surnames = surnameKey(citizen);
  return {
    ...citizenKeys.profile(citizen.id),
    type: 'CITIZEN',
    ...citizen,
    ...(surnames && !citizen.mergedInto
      ? {
          gsi1pk: citizenKeys.surnamePartition(surnames),
          gsi1sk: `${surnames}#${normalizeName(citizen.givenNames ?? '')}#${citizen.id}`,
        }
      : {}),
  };
}

/** An identity item, where a lookup lands: the owner and the screen-pop summary of their cases and contacts. */
export function identityItem(
  identity: Identity,
  summary: ScreenPopSummary,
  at: string,
): Record<string, unknown> {
  return {
    ...citizenKeys.identity(identity),
    type: 'IDENTITY',
    ...identity,
    citizenId: summary.citizenId,
    createdAt: at,
    summary,
  };
}

export const citizenFromItem = (item: Record<string, unknown>): Citizen =>
  profileSchema.parse(item) as Citizen;

export function contactItem(contact: ContactRecord, expiresAt?: number): Record<string, unknown> {
  return {
    ...citizenKeys.contact(contact.citizenId, contact.at, contact.contactId),
    type: 'CONTACT',
    ...contact,
    ...(expiresAt ? { expiresAt } : {}),
  };
}

export function contactFromItem(item: Record<string, unknown>): ContactRecord {
  const parsed = contactSchema.parse(item);
  return { ...parsed, ...(parsed.ticket ? { ticket: parsed.ticket as Ticket } : {}) } as ContactRecord;
}
