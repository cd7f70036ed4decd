import * as z from 'zod/mini';
import type { CountryCode } from 'libphonenumber-js/min';
import type { AppointmentBook } from '../../domain/appointment-book';
import { isActiveBooking, type Booking } from '../../domain/appointments';
import { isClosed } from '../../domain/case';
import type { Catalogue } from '../../domain/catalogue';
import type { Citizen, Language } from '../../domain/citizen';
import {
  requestCode,
  sessionOf,
  signIn,
  signOut,
  type CitizenAccessDeps,
  type CitizenSession,
} from '../../domain/citizen-access';
import { eligibilityFor, requireEligible, type EligibilityCheck } from '../../domain/eligibility';
import { fileArrived, offerUpload, type FileStore } from '../../domain/documents';
import { recordGatewayEvent } from '../../domain/payments';
import { hasRequirements } from '../../domain/catalogue';
import { citizenForIdentity, openCaseOnTopic, type CoreDeps } from '../../domain/use-cases';
import {
  REQUIREMENTS_DUE_HOURS,
  dropFee,
  feeOf,
  refundIfEnded,
  holdUntilFor,
  requirementsOf,
  settleBooking,
  type VisitDeps,
} from '../../domain/visit-requirements';
import { verifyWebhook } from '../payments/webhook-signature';
import { parseWebhookEvent } from '../payments/hosted-checkout';
import { DomainError, NotFoundError, ValidationError } from '../../domain/errors';
import { documentIdentity, phoneIdentity } from '../../domain/identity';
import { statusMessage } from '../../domain/messages';
import type { CaseRepository, CitizenRepository } from '../../domain/ports';
import { parseInput } from '../../domain/schema';
import { jsonBody, type ApiRequest, type Route } from './api';

const language = z.enum(['es', 'en']);
const codeBody = z.strictObject({
  phone: z.string().check(z.minLength(1), z.maxLength(32)),
  channel: z.enum(['SMS', 'WHATSAPP']),
  language: z._default(language, 'es'),
});
const signInBody = z.strictObject({
  phone: z.string().check(z.minLength(1), z.maxLength(32)),
  code: z.string().check(z.maxLength(16)),
});
const bookBody = z.strictObject({
  /** Made by the page once per booking attempt: the same key again is the same booking. */
  key: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,128}$/, 'must be 8 to 128 of A-Z a-z 0-9 _ -')),
  officeId: z.string().check(z.minLength(1), z.maxLength(64)),
  topicId: z.string().check(z.minLength(1), z.maxLength(64)),
  start: z.string().check(z.minLength(1), z.maxLength(40)),
});
const moveBody = z.strictObject({ start: z.string().check(z.minLength(1), z.maxLength(40)) });
const uploadBody = z.strictObject({
  /** The file's type as the browser says; its bytes decide once it has arrived. */
  contentType: z.string().check(z.maxLength(100)),
});
const PUBLIC = ['public'] as const;

/** The statuses whose answer the citizen may read on their page. */
const ANSWERED = new Set(['PENDING_COMMUNICATION', 'COMMUNICATED', 'RESOLVED']);

/** A webhook whose signature is not the gateway's, or too old: refused, nothing changed. */
class BadSignatureError extends DomainError {
  readonly code = 'BAD_SIGNATURE';
  constructor() {
    super('the webhook signature is missing, wrong or too old');
  }
}

const bearer = (request: ApiRequest) => (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');

/**
 * The citizen's own page: sign-in by a code sent to their phone, then their cases (status in plain words, the
 * answer when there is one), their bookings (book, move, cancel through the same booking core as every other
 * channel) and what each procedure requires. Every route is public at the gateway; all but the code and the
 * sign-in need the session's token (`Authorization: Bearer …`), and each shows only the phone holder's data.
 */
export function citizenRoutes(deps: {
  access: CitizenAccessDeps;
  citizens: CitizenRepository;
  cases: Pick<CaseRepository, 'byCitizen'>;
  catalogue: Catalogue;
  country: CountryCode;
  book?: AppointmentBook;
  /** Other agencies' checks, asked before a booking of a procedure that needs them; their names, to show. */
  eligibility?: EligibilityCheck;
  checkNames?: Readonly<Record<string, { readonly es: string; readonly en: string }>>;
  /** What a booking of a procedure with documents or a fee waits for; where its files go. */
  visit?: VisitDeps & { readonly files: FileStore; readonly newKey: () => string };
  /** The case of such a booking is opened through the core, on the citizen's page's channel. */
  core?: CoreDeps;
  /** The secret the payment gateway signs its webhooks with, or where to read it (a secret, on first use). */
  webhookSecret?: string | (() => Promise<string>);
  newId: () => string;
}): Route[] {
  const visit = () => {
    if (!deps.visit) throw new NotFoundError('documents and fees');
    return deps.visit;
  };
  /** The documents' use cases' view of the same parts. */
  const documents = () => {
    const v = visit();
    return { store: v.documents, files: v.files, now: v.now, newKey: v.newKey };
  };
  const session = (request: ApiRequest) => sessionOf(deps.access, bearer(request));
  const languageOf = (request: ApiRequest, s: CitizenSession): Language =>
    request.query.lang === 'en' || request.query.lang === 'es' ? request.query.lang : s.language;
  const citizenOf = (s: CitizenSession) => deps.citizens.byIdentity(phoneIdentity(s.phone, deps.country));
  const book = () => {
    if (!deps.book) throw new NotFoundError('appointments');
    return deps.book;
  };
  const bookingView = (b: Booking, lang: Language) => ({
    id: b.id,
    code: b.code,
    status: b.status,
    active: isActiveBooking(b.status),
    officeId: b.slot.officeId,
    topicId: b.slot.topicId,
    start: b.slot.start,
    ...(b.ticket ? { ticket: b.ticket } : {}),
    words: book().describe(b, lang),
  });
  /** The citizen's own booking; another's is as good as none. */
  const ownBooking = async (request: ApiRequest) => {
    const s = await session(request);
    const citizen = await citizenOf(s);
    const found = await book().store.byId(request.params.id!);
    if (!citizen || !found || found.citizenId !== citizen.id) throw new NotFoundError('booking');
    return { s, citizen, found };
  };
  /** The phone holder's record; a number new to the service gets a provisional one, as a first call does. */
  const citizenFor = async (s: CitizenSession): Promise<Citizen> =>
    (
      await citizenForIdentity(
        { citizens: deps.citizens, clock: deps.access.clock, newId: deps.newId },
        phoneIdentity(s.phone, deps.country),
        { language: s.language, provisional: true },
      )
    ).citizen;
  return [
    {
      method: 'POST',
      path: '/citizen/code',
      roles: PUBLIC,
      status: 202,
      handle: async (request) => {
        const body = parseInput(codeBody, jsonBody(request));
        return requestCode(deps.access, { ...body, from: request.from ?? 'unknown' });
      },
    },
    {
      method: 'POST',
      path: '/citizen/session',
      roles: PUBLIC,
      handle: async (request) => signIn(deps.access, parseInput(signInBody, jsonBody(request))),
    },
    {
      method: 'POST',
      path: '/citizen/session/end',
      roles: PUBLIC,
      handle: async (request) => {
        await signOut(deps.access, bearer(request));
        return { signedOut: true };
      },
    },
    {
      method: 'GET',
      path: '/citizen/me',
      roles: PUBLIC,
      handle: async (request) => {
        const s = await session(request);
        const lang = languageOf(request, s);
        const citizen = await citizenOf(s);
        const cases = citizen ? (await deps.cases.byCitizen(citizen.id, { limit: 100 })).items : [];
        const bookings = citizen && deps.book ? await deps.book.store.byCitizen(citizen.id) : [];
        return {
          phone: s.phone,
          language: s.language,
          expiresAt: s.expiresAt,
          name: citizen?.givenNames ?? null,
          cases: cases
            .filter((c) => !c.blocked)
            .map((c) => ({
              ticket: c.ticket,
              topic: deps.catalogue.get(c.topicId)?.name[lang] ?? c.topicId,
              status: c.status,
              open: !isClosed(c.status),
              statusText: statusMessage(c.status, lang),
              ...(c.answer && ANSWERED.has(c.status) ? { answer: c.answer } : {}),
              createdAt: c.createdAt,
              dueAt: c.dueAt,
            })),
          bookings: bookings.map((b) => bookingView(b, lang)),
        };
      },
    },
    {
      method: 'GET',
      path: '/citizen/procedures',
      roles: PUBLIC,
      handle: async (request) => {
        const lang = languageOf(request, await session(request));
        return {
          // Slots are instants; the page shows them in the offices' time.
          timeZone: deps.book?.timeZone ?? null,
          procedures: deps.catalogue.entries.map((e) => ({
            id: e.id,
            name: e.name[lang],
            requirements: e.requirements[lang],
            // Checked with another agency, by the citizen's document, before a booking is confirmed.
            checks: (e.eligibility ?? []).map((c) => deps.checkNames?.[c]?.[lang] ?? c),
            ...(e.link ? { link: e.link } : {}),
            offices: (deps.book?.schedule.officesFor(e.id) ?? []).map((o) => ({
              id: o.id,
              name: o.name[lang],
              address: o.address[lang],
            })),
          })),
        };
      },
    },
    {
      method: 'GET',
      path: '/citizen/slots',
      roles: PUBLIC,
      handle: async (request) => {
        await session(request);
        const { office, topic, from } = request.query;
        if (!office) throw new ValidationError('office', 'is required');
        if (!topic) throw new ValidationError('topic', 'is required');
        if (from !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(from))
          throw new ValidationError('from', 'must be a date "YYYY-MM-DD"');
        // A procedure with documents or a fee is booked a day ahead at least: only times it can still be.
        const entry = deps.catalogue.get(topic);
        const now = deps.access.clock.now();
        const earliest =
          entry && hasRequirements(entry) ? now.getTime() + (REQUIREMENTS_DUE_HOURS + 1) * 3_600_000 : 0;
        const first = earliest ? book().schedule.localDate(new Date(earliest)) : undefined;
        const slots = await book().freeSlots(office, topic, {
          days: 14,
          limit: 40,
          ...(from || first ? { from: from && (!first || from > first) ? from : first! } : {}),
        });
        return { slots: slots.filter((s) => Date.parse(s.start) >= earliest) };
      },
    },
    {
      method: 'POST',
      path: '/citizen/bookings',
      roles: PUBLIC,
      status: 201,
      handle: async (request) => {
        const s = await session(request);
        const body = parseInput(bookBody, jsonBody(request));
        const citizen = await citizenFor(s);
        // Only every agency's yes books: a no, or no answer, books nothing.
        requireEligible(
          await eligibilityFor(
            deps.eligibility,
            deps.catalogue.get(body.topicId)?.eligibility ?? [],
            citizen.document ? documentIdentity(citizen.document).value : undefined,
            deps.access.clock.now(),
          ),
        );
        const topic = deps.catalogue.get(body.topicId);
        if (!topic) throw new ValidationError('topicId', 'no such procedure');
        // A procedure with documents or a fee waits for them, held, until a day before the visit.
        const until = holdUntilFor(topic, body.start, deps.access.clock.now());
        let ticket = (await deps.cases.byCitizen(citizen.id, { limit: 100 })).items.find(
          (c) => c.topicId === body.topicId && !isClosed(c.status),
        )?.ticket;
        // Its documents and fee belong to a case: the citizen's open one on the procedure, or a new one.
        if (until && !ticket) {
          if (!deps.core) throw new NotFoundError('cases');
          ticket = (
            await openCaseOnTopic(deps.core, {
              citizenId: citizen.id,
              topicId: topic.id,
              channel: 'WEB',
              actor: { id: 'citizen', role: 'citizen' },
            })
          ).ticket;
        }
        const declined = citizen.consents[s.channel === 'SMS' ? 'sms' : 'whatsapp'] === false;
        const lang = languageOf(request, s);
        const booking = {
          ...body,
          citizenId: citizen.id,
          by: 'citizen',
          channel: 'web' as const,
          language: lang,
          // The confirmation goes where the sign-in code went, unless the citizen declined that channel.
          ...(declined ? {} : { notify: { channel: s.channel, to: s.phone } }),
          ...(ticket ? { ticket } : {}),
        };
        const booked = until ? await book().hold(booking, until) : await book().book(booking);
        if (until) await feeOf(visit(), booked);
        return bookingView(booked, lang);
      },
    },
    {
      method: 'POST',
      path: '/citizen/bookings/{id}/cancel',
      roles: PUBLIC,
      handle: async (request) => {
        const { s, found } = await ownBooking(request);
        const cancelled = await book().cancel(found.id, { by: 'citizen', channel: 'web' });
        if (deps.visit) await dropFee(deps.visit, found.id);
        return bookingView(cancelled, languageOf(request, s));
      },
    },
    {
      method: 'POST',
      path: '/citizen/bookings/{id}/reschedule',
      roles: PUBLIC,
      handle: async (request) => {
        const { s, found } = await ownBooking(request);
        const { start } = parseInput(moveBody, jsonBody(request));
        // Its documents and fee are due by its hold's end, which a new time would not move.
        if (found.status === 'held')
          throw new ValidationError(
            'start',
            'a booking still waiting for its documents and fee is not moved: cancel it and book again',
          );
        const moved = await book().reschedule(found.id, start, { by: 'citizen', channel: 'web' });
        return bookingView(moved, languageOf(request, s));
      },
    },
    {
      method: 'GET',
      path: '/citizen/bookings/{id}/requirements',
      roles: PUBLIC,
      handle: async (request) => {
        const { s, found } = await ownBooking(request);
        const lang = languageOf(request, s);
        const seen = await requirementsOf(visit(), found, lang);
        // A fee whose checkout could not be opened when it was booked is opened now, if the gateway answers.
        if (found.status !== 'held' || seen.fee?.status !== 'CREATED') return seen;
        await feeOf(visit(), found);
        return requirementsOf(visit(), found, lang);
      },
    },
    {
      method: 'POST',
      path: '/citizen/bookings/{id}/documents/{kind}',
      roles: PUBLIC,
      status: 201,
      handle: async (request) => {
        const { found } = await ownBooking(request);
        const { contentType } = parseInput(uploadBody, jsonBody(request));
        const kind = request.params.kind!;
        const topic = deps.catalogue.get(found.slot.topicId);
        if (!found.ticket || !topic?.documents?.some((d) => d.id === kind))
          throw new NotFoundError('document of this booking');
        const offered = await offerUpload(documents(), {
          ticket: found.ticket,
          kind,
          citizenId: found.citizenId,
          contentType,
        });
        return { upload: offered.upload, status: offered.document.status };
      },
    },
    {
      method: 'POST',
      path: '/citizen/bookings/{id}/documents/{kind}/sent',
      roles: PUBLIC,
      handle: async (request) => {
        const { found } = await ownBooking(request);
        if (!found.ticket) throw new NotFoundError('document of this booking');
        const document = await fileArrived(documents(), found.ticket, request.params.kind!);
        return { status: document.status, fileType: document.fileType, size: document.size };
      },
    },
    {
      method: 'POST',
      path: '/citizen/bookings/{id}/pay',
      roles: PUBLIC,
      handle: async (request) => {
        const { found } = await ownBooking(request);
        const fee = await feeOf(visit(), found);
        if (!fee?.checkout) throw new NotFoundError('fee to pay');
        return { url: fee.checkout.url, status: fee.status };
      },
    },
    {
      method: 'POST',
      path: '/payments/webhook',
      roles: PUBLIC,
      handle: async (request) => {
        const body = request.body ?? '';
        // Only the gateway's signed, fresh events: anything else changes nothing.
        const secret =
          typeof deps.webhookSecret === 'function' ? await deps.webhookSecret() : deps.webhookSecret;
        if (
          !secret ||
          !verifyWebhook(
            secret,
            {
              timestamp: request.headers['webhook-timestamp'],
              signature: request.headers['webhook-signature'],
            },
            body,
            deps.access.clock.now(),
          )
        )
          throw new BadSignatureError();
        const event = parseWebhookEvent(body);
        if (!event) throw new ValidationError('body', 'is not a payment event');
        const recorded = await recordGatewayEvent(visit().payments, event);
        if (recorded?.outcome === 'applied' && recorded.request.bookingId) {
          await settleBooking(visit(), recorded.request.bookingId);
          // Paid for a booking whose hold ran out meanwhile: to give back.
          const now = await visit().payments.get(recorded.request.id);
          if (now) await refundIfEnded(visit(), now);
        }
        return { received: true, outcome: recorded?.outcome ?? 'unknown-payment' };
      },
    },
  ];
}
