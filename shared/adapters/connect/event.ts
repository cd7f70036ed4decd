import type { Channel } from '../../domain/case';
import { isLanguage, type Language } from '../../domain/citizen';
import { ValidationError } from '../../domain/errors';
import { parseE164 } from '../../domain/e164';
import { documentIdentity, emailIdentity, normalizeDocument, type Identity } from '../../domain/identity';
import * as z from 'zod/mini';
import { parseInput } from '../../domain/schema';

/**
 * The event Amazon Connect sends to a function invoked from a flow (docs/connect-formats.md §1). Our own schema: the
 * community types narrow Channel to VOICE | CHAT. Unknown fields are tolerated; nullable ones may be null.
 */
const text = z.string().check(z.maxLength(4096));
const endpoint = z.optional(
  z.nullable(z.object({ Address: z.optional(z.nullable(text)), Type: z.optional(z.nullable(text)) })),
);
const stringMap = z.optional(z.nullable(z.record(z.string().check(z.maxLength(256)), text)));
const connectEventSchema = z.object({
  Details: z.object({
    ContactData: z.object({
      ContactId: z.string().check(z.minLength(1), z.maxLength(256)),
      InitialContactId: z.optional(z.nullable(z.string().check(z.maxLength(256)))),
      Channel: z.string().check(z.maxLength(32)),
      CustomerEndpoint: endpoint,
      LanguageCode: z.optional(z.nullable(text)),
      Attributes: stringMap,
      SegmentAttributes: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
    }),
    Parameters: stringMap,
  }),
});

/** A flow invocation, parsed: what the functions need and nothing else. */
export interface ConnectInvocation {
  readonly contactId: string;
  /** The first contact of the chain; retries and transfers share it. */
  readonly initialContactId: string;
  readonly channel: Channel;
  readonly customerAddress?: { readonly address: string; readonly type?: string };
  /** The language the contact runs in, when the flow or Connect says so. */
  readonly language?: Language;
  readonly parameters: Readonly<Record<string, string>>;
}

const SUBTYPES: Record<string, Channel> = {
  'connect:sms': 'SMS',
  'connect:whatsapp': 'WHATSAPP',
  'connect:chat': 'CHAT',
};

function subtypeOf(
  segment: Record<string, unknown> | null | undefined,
  parameters: Record<string, string>,
): string {
  const fromSegment = (segment?.['connect:Subtype'] as { ValueString?: unknown } | undefined)?.ValueString;
  return String(
    typeof fromSegment === 'string' ? fromSegment : (parameters.channelSubtype ?? ''),
  ).toLowerCase();
}

function channelOf(raw: string, subtype: string): Channel {
  switch (raw.toUpperCase()) {
    case 'VOICE':
      return 'VOICE';
    case 'CHAT':
      return SUBTYPES[subtype] ?? 'CHAT';
    case 'TASK':
      return 'TASK';
    case 'EMAIL':
      return 'EMAIL';
    default:
      throw new ValidationError('Details.ContactData.Channel', `unknown channel "${raw.slice(0, 32)}"`);
  }
}

export function parseConnectEvent(raw: unknown): ConnectInvocation {
  const { Details } = parseInput(connectEventSchema, raw);
  const data = Details.ContactData;
  const parameters = Details.Parameters ?? {};
  const address = data.CustomerEndpoint?.Address;
  const language = parameters.language ?? data.LanguageCode?.slice(0, 2).toLowerCase();
  return {
    contactId: data.ContactId,
    initialContactId: data.InitialContactId || data.ContactId,
    channel: channelOf(data.Channel, subtypeOf(data.SegmentAttributes, parameters)),
    ...(address
      ? {
          customerAddress: {
            address,
            ...(data.CustomerEndpoint?.Type ? { type: data.CustomerEndpoint.Type } : {}),
          },
        }
      : {}),
    ...(isLanguage(language) ? { language } : {}),
    parameters,
  };
}

/**
 * The identities a flow invocation names (a document without a type is of the deployment's default type). Parameters the caller keyed or typed (a document, an email) must be
 * valid, or it is INVALID_INPUT. The network's customer endpoint (E.164 for voice, SMS and WhatsApp; an
 * address for email) is taken when it parses and otherwise treated as an anonymous caller (withheld
 * numbers, odd formats).
 */
export function callerIdentities(invocation: ConnectInvocation, defaultDocumentType: string): Identity[] {
  const out: Identity[] = [];
  const p = invocation.parameters;
  if (p.document)
    out.push(
      documentIdentity(normalizeDocument(p.documentType || defaultDocumentType, p.document, 'document')),
    );
  if (p.email) out.push(emailIdentity(p.email, 'email'));
  const endpoint = endpointIdentity(invocation);
  if (endpoint) out.push(endpoint);
  return out;
}

/** The identity the contact arrives with (the caller's number, or the sender's e-mail): never a parameter. */
export function endpointIdentity(invocation: ConnectInvocation): Identity | undefined {
  const endpoint = invocation.customerAddress;
  if (!endpoint) return undefined;
  const isEmail = invocation.channel === 'EMAIL' || endpoint.type === 'EMAIL_ADDRESS';
  if (isEmail) {
    try {
      return emailIdentity(endpoint.address);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return undefined;
    }
  }
  const phone = parseE164(endpoint.address.replace(/^whatsapp:/i, ''));
  return phone ? { kind: 'PHONE', value: phone } : undefined;
}
