import * as z from 'zod/mini';
import type { AppointmentBook } from '../../domain/appointment-book';
import type { Booking, BookingContactPoint } from '../../domain/appointments';
import type { Citizen } from '../../domain/citizen';
import { eligibilityFor, requireEligible, type EligibilityCheck } from '../../domain/eligibility';
import { FILE_TYPES, reviewDocument, type FileStore } from '../../domain/documents';
import {
  dropFee,
  feeOf,
  holdUntilFor,
  requirementsOf,
  settleBooking,
  type VisitDeps,
} from '../../domain/visit-requirements';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { documentIdentity, normalizeDocument } from '../../domain/identity';
import { isClosed } from '../../domain/case';
import type { CaseRepository, CitizenRepository } from '../../domain/ports';
import { parseInput } from '../../domain/schema';
import { actorOf, type ApiRequest, type Role, type Route } from './api';

const STAFF: readonly Role[] = ['agent', 'supervisor', 'admin'];
/** The language a staff page asks words in (`?lang=en`), Spanish otherwise. */
const languageOf = (query: Readonly<Record<string, string>>): 'es' | 'en' =>
  query.lang === 'en' ? 'en' : 'es';
const key = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,128}$/, 'must be 8 to 128 of A-Z a-z 0-9 _ -'));
const bookBody = z.strictObject({
  /** The idempotency key: the contact or request id. The same key again is the same booking. */
  key,
  citizenId: z.string().check(z.minLength(1), z.maxLength(128)),
  officeId: z.string().check(z.minLength(1), z.maxLength(64)),
  topicId: z.string().check(z.minLength(1), z.maxLength(64)),
  start: z.string().check(z.minLength(1), z.maxLength(40)),
  /** Send the confirmation to the citizen's phone on record by this channel. */
  notify: z.optional(z.enum(['SMS', 'WHATSAPP'])),
  ticket: z.optional(z.string().check(z.maxLength(32))),
});
const reasonBody = z.strictObject({ reason: z.optional(z.string().check(z.maxLength(500))) });
const checkInBody = z.strictObject({
  code: z.optional(z.string().check(z.regex(/^[2-9A-Za-z]{6}$/, 'must be the six-character booking code'))),
  document: z.optional(
    z.strictObject({
      type: z.optional(z.string().check(z.maxLength(16))),
      number: z.string().check(z.minLength(1), z.maxLength(32)),
    }),
  ),
});
const deskBody = z.strictObject({
  desk: z
    .string()
    .check(z.regex(/^[A-Za-z0-9 -]{1,12}$/, 'must be a desk name or number, up to 12 characters')),
});
const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM"'));
const closureBody = z.strictObject({
  date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"')),
  from: z.optional(hhmm),
  to: z.optional(hhmm),
  reason: z.string().check(z.minLength(3), z.maxLength(200)),
});
const waitBody = z.strictObject({
  citizenId: z.string().check(z.minLength(1), z.maxLength(128)),
  officeId: z.string().check(z.minLength(1), z.maxLength(64)),
  topicId: z.string().check(z.minLength(1), z.maxLength(64)),
  date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"')),
  /** The offer goes to the citizen's phone on record by this channel: it needs their yes. */
  notify: z.enum(['SMS', 'WHATSAPP']),
});
const moveBody = z.strictObject({ start: z.string().check(z.minLength(1), z.maxLength(40)) });
const reviewBody = z.strictObject({
  decision: z.enum(['accept', 'reject']),
  /** Why it is rejected, in words the citizen reads. */
  reason: z.optional(z.string().check(z.maxLength(300))),
});

function jsonOf(request: ApiRequest): unknown {
  if (!request.body) return {};
  try {
    return JSON.parse(request.body);
  } catch {
    throw new ValidationError('body', 'must be JSON');
  }
}

/** The phone on record, by the channel asked for, unless the citizen declined that channel. */
function contactPoint(citizen: Citizen, channel: 'SMS' | 'WHATSAPP'): BookingContactPoint {
  const phone = citizen.identities.find((i) => i.kind === 'PHONE')?.value;
  if (!phone) throw new ValidationError('notify', 'the citizen has no phone on record');
  if (citizen.consents[channel === 'SMS' ? 'sms' : 'whatsapp'] === false)
    throw new ValidationError('notify', `the citizen declined messages by ${channel}`);
  return { channel, to: phone };
}

/**
 * The staff's appointments: the offices and what they book, free slots, booking for a citizen, moving and
 * cancelling, a booking by id or by the code the citizen reads out, and a citizen's bookings.
 */
export function appointmentRoutes(deps: {
  book: AppointmentBook;
  citizens: CitizenRepository;
  cases: Pick<CaseRepository, 'byCitizen'>;
  defaultDocumentType: string;
  /** Other agencies' checks, asked before a booking of a procedure that needs them; their names, to show. */
  eligibility?: EligibilityCheck;
  checkNames?: Readonly<Record<string, { readonly es: string; readonly en: string }>>;
  /** What a booking of a procedure with documents or a fee waits for, and where its files are. */
  visit?: VisitDeps & { readonly files: FileStore };
}): Route[] {
  const visit = () => {
    if (!deps.visit) throw new NotFoundError('documents and fees');
    return deps.visit;
  };
  /** A booking's requirements as staff see them: each document sent with a short-lived link to read it. */
  const requirements = async (b: Booking, language: 'es' | 'en') => {
    const v = visit();
    const kept = b.ticket ? await v.documents.list(b.ticket) : [];
    const seen = await requirementsOf(v, b, language, kept);
    return {
      ...seen,
      documents: await Promise.all(
        seen.documents.map(async (d) => {
          const file = kept.find((k) => k.kind === d.kind);
          return file?.fileType && d.status !== 'awaiting-upload'
            ? { ...d, link: await v.files.link(file.key, FILE_TYPES[file.fileType]) }
            : d;
        }),
      ),
    };
  };
  const { book } = deps;
  /** What the agencies say of a citizen for a procedure, asked now (or their answers kept a while). */
  const verdict = (citizen: Citizen, topicId: string) =>
    eligibilityFor(
      deps.eligibility,
      book.catalogue.get(topicId)?.eligibility ?? [],
      citizen.document ? documentIdentity(citizen.document).value : undefined,
      book.now(),
    );
  /** A booking as staff see it: with the procedure, office and local time in words. */
  const view = (b: Booking, language: 'es' | 'en' = 'es') => ({ ...b, words: book.describe(b, language) });
  const citizenOf = async (id: string) => {
    const citizen = await deps.citizens.byId(id);
    if (!citizen) throw new ValidationError('citizenId', 'no such citizen');
    return citizen;
  };
  const found = async (id: string) => {
    const b = await book.store.byId(id);
    if (!b) throw new NotFoundError('booking');
    return b;
  };
  return [
    {
      method: 'GET',
      path: '/appointments/offices',
      roles: STAFF,
      handle: async () => ({
        offices: book.schedule.offices.map((o) => ({
          id: o.id,
          name: o.name,
          address: o.address,
          services: o.services.map((s) => ({ ...s, places: book.schedule.service(o.id, s.topic).places })),
        })),
        holdMinutes: book.schedule.settings.holdMinutes,
        timeZone: book.timeZone,
      }),
    },
    {
      method: 'GET',
      path: '/appointments/slots',
      roles: STAFF,
      handle: async ({ query }) => {
        if (!query.office) throw new ValidationError('office', 'is required');
        if (!query.topic) throw new ValidationError('topic', 'is required');
        const days = query.days === undefined ? 7 : Number(query.days);
        if (!Number.isInteger(days) || days < 1 || days > 31)
          throw new ValidationError('days', 'must be a whole number from 1 to 31');
        if (query.from !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(query.from))
          throw new ValidationError('from', 'must be a date "YYYY-MM-DD"');
        return {
          slots: await book.freeSlots(query.office, query.topic, {
            days,
            ...(query.from ? { from: query.from } : {}),
          }),
        };
      },
    },
    {
      method: 'POST',
      path: '/appointments',
      roles: STAFF,
      status: 201,
      handle: async (request) => {
        const body = parseInput(bookBody, jsonOf(request));
        const citizen = await citizenOf(body.citizenId);
        // Only every agency's yes books: a no, or no answer, books nothing.
        requireEligible(await verdict(citizen, body.topicId));
        // The citizen's open case on the procedure, when there is one (one at most): the booking is on it.
        const ticket =
          body.ticket ??
          (await deps.cases.byCitizen(citizen.id, { limit: 100 })).items.find(
            (c) => c.topicId === body.topicId && !isClosed(c.status),
          )?.ticket;
        const booking = {
          key: body.key,
          citizenId: citizen.id,
          officeId: body.officeId,
          topicId: body.topicId,
          start: body.start,
          by: request.user,
          channel: 'agent' as const,
          language: citizen.language,
          ...(body.notify ? { notify: contactPoint(citizen, body.notify) } : {}),
          ...(ticket ? { ticket } : {}),
        };
        // A procedure with documents or a fee waits for them, held, as it does from the citizen's page.
        const topic = book.catalogue.get(body.topicId);
        const until = topic ? holdUntilFor(topic, body.start, book.now()) : undefined;
        if (!until) return view(await book.book(booking));
        if (!ticket)
          throw new ValidationError(
            'ticket',
            'this procedure’s documents and fee belong to a case: open the citizen’s case on it first',
          );
        const held = await book.hold(booking, until);
        await feeOf(visit(), held);
        return view(held);
      },
    },
    {
      method: 'GET',
      path: '/appointments/code/{code}',
      roles: STAFF,
      handle: async ({ params }) => {
        const b = await book.store.byCode(params.code!);
        if (!b) throw new NotFoundError('booking');
        return view(b);
      },
    },
    {
      method: 'GET',
      path: '/appointments/{id}',
      roles: STAFF,
      handle: async ({ params }) => view(await found(params.id!)),
    },
    {
      method: 'POST',
      path: '/appointments/{id}/cancel',
      roles: STAFF,
      handle: async (request) => {
        const { reason } = parseInput(reasonBody, jsonOf(request));
        const { id } = actorOf(request);
        const cancelled = await book.cancel(request.params.id!, {
          by: id,
          channel: 'agent',
          ...(reason ? { reason } : {}),
        });
        if (deps.visit) await dropFee(deps.visit, cancelled.id);
        return view(cancelled);
      },
    },
    {
      method: 'POST',
      path: '/appointments/{id}/reschedule',
      roles: STAFF,
      handle: async (request) => {
        const { start } = parseInput(moveBody, jsonOf(request));
        await found(request.params.id!);
        return view(await book.reschedule(request.params.id!, start, { by: request.user, channel: 'agent' }));
      },
    },
    {
      method: 'POST',
      path: '/appointments/offices/{officeId}/checkin',
      roles: STAFF,
      handle: async (request) => {
        const body = parseInput(checkInBody, jsonOf(request));
        if (!body.code === !body.document)
          throw new ValidationError('code', 'give the booking code or the citizen’s document, one of them');
        let citizenId: string | undefined;
        if (body.document) {
          const doc = normalizeDocument(body.document.type ?? deps.defaultDocumentType, body.document.number);
          citizenId = (await deps.citizens.byIdentity(documentIdentity(doc)))?.id;
          if (!citizenId) throw new NotFoundError('citizen with that document');
        }
        return view(
          await book.checkIn(
            request.params.officeId!,
            body.code ? { code: body.code.toUpperCase() } : { citizenId: citizenId! },
            { by: request.user, channel: 'office' },
          ),
        );
      },
    },
    {
      method: 'POST',
      path: '/appointments/offices/{officeId}/call-next',
      roles: STAFF,
      handle: async (request) => {
        const { desk } = parseInput(deskBody, jsonOf(request));
        return view(
          await book.callNext(request.params.officeId!, desk, { by: request.user, channel: 'office' }),
        );
      },
    },
    {
      method: 'POST',
      path: '/appointments/{id}/served',
      roles: STAFF,
      handle: async (request) =>
        view(await book.serve(request.params.id!, { by: request.user, channel: 'office' })),
    },
    {
      method: 'GET',
      path: '/appointments/offices/{officeId}/display',
      roles: STAFF,
      handle: async ({ params }) => ({ called: await book.called(params.officeId!) }),
    },
    {
      method: 'GET',
      path: '/appointments/offices/{officeId}/day',
      roles: STAFF,
      handle: async ({ params, query }) => {
        const date = query.date ?? book.schedule.localDate(book.now());
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
          throw new ValidationError('date', 'must be a date "YYYY-MM-DD"');
        return book.dayFigures(params.officeId!, date);
      },
    },
    {
      method: 'POST',
      path: '/appointments/offices/{officeId}/closures',
      roles: ['supervisor', 'admin'],
      handle: async (request) => {
        const body = parseInput(closureBody, jsonOf(request));
        if (body.from && body.to && body.from >= body.to)
          throw new ValidationError('to', 'must be after from');
        const { id } = actorOf(request);
        return book.close(
          {
            officeId: request.params.officeId!,
            date: body.date,
            reason: body.reason,
            ...(body.from ? { from: body.from } : {}),
            ...(body.to ? { to: body.to } : {}),
          },
          { by: id, channel: 'agent' },
        );
      },
    },
    {
      method: 'POST',
      path: '/appointments/waitlist',
      roles: STAFF,
      status: 201,
      handle: async (request) => {
        const body = parseInput(waitBody, jsonOf(request));
        const citizen = await citizenOf(body.citizenId);
        return book.joinWaitlist({
          citizenId: citizen.id,
          officeId: body.officeId,
          topicId: body.topicId,
          date: body.date,
          language: citizen.language,
          notify: contactPoint(citizen, body.notify),
        });
      },
    },
    {
      method: 'GET',
      path: '/appointments/waitlist',
      roles: STAFF,
      handle: async ({ query }) => {
        for (const field of ['office', 'topic', 'date'])
          if (!query[field]) throw new ValidationError(field, 'is required');
        return { waiting: await book.store.waiters(query.office!, query.topic!, query.date!) };
      },
    },
    {
      method: 'GET',
      path: '/appointments/{id}/requirements',
      roles: STAFF,
      handle: async ({ params, query }) => requirements(await found(params.id!), languageOf(query)),
    },
    {
      method: 'POST',
      path: '/appointments/{id}/documents/{kind}/review',
      roles: STAFF,
      handle: async (request) => {
        const booking = await found(request.params.id!);
        if (!booking.ticket) throw new NotFoundError('document of this booking');
        const body = parseInput(reviewBody, jsonOf(request));
        await reviewDocument(
          { store: visit().documents, now: () => book.now() },
          {
            ticket: booking.ticket,
            kind: request.params.kind!,
            decision: body.decision,
            ...(body.reason !== undefined ? { reason: body.reason } : {}),
            by: request.user,
          },
        );
        // The last requirement met confirms the booking, and the citizen is told.
        return requirements((await settleBooking(visit(), booking.id)) ?? booking, languageOf(request.query));
      },
    },
    {
      method: 'GET',
      path: '/citizens/{id}/eligibility',
      roles: STAFF,
      handle: async ({ params, query }) => {
        if (!query.topic) throw new ValidationError('topic', 'is required');
        if (!book.catalogue.get(query.topic)) throw new ValidationError('topic', 'no such procedure');
        const seen = await verdict(await citizenOf(params.id!), query.topic);
        return {
          ...seen,
          checks: seen.checks.map((c) => ({
            ...c,
            name: deps.checkNames?.[c.check] ?? { es: c.check, en: c.check },
          })),
        };
      },
    },
    {
      method: 'GET',
      path: '/citizens/{id}/appointments',
      roles: STAFF,
      handle: async ({ params }) => ({
        appointments: (await book.store.byCitizen(params.id!)).map((b) => view(b)),
      }),
    },
  ];
}
