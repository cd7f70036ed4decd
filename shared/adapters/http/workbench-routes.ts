import * as z from 'zod/mini';
import { CASE_STATUSES, CHANNELS, isClosed, type Case, type CaseStatus } from '../../domain/case';
import { repeatOf } from '../../domain/screen-pop';
import { newCitizen, type Citizen } from '../../domain/citizen';
import type { Deployment } from '../../domain/deployment';
import { BlockedError, NotFoundError, ValidationError } from '../../domain/errors';
import type { PrivacyLog } from '../../domain/subject-access';
import type { ReadAudit, ReadEvent } from '../../domain/read-audit';
import {
  citizenTimeline,
  currentCitizen,
  linkIdentities,
  mergeCitizens,
  registerCitizen,
  type CitizenLinkStore,
} from '../../domain/merge';
import {
  emailIdentity,
  normalizeDocument,
  phoneIdentity,
  documentIdentity,
  maskIdentity,
  maskMiddle,
  type Identity,
} from '../../domain/identity';
import { newNote, type CaseNotes } from '../../domain/notes';
import { wrapUpContact } from '../../domain/wrap-up';
import { supervisionCsv, supervisionList } from '../../domain/supervision';
import { parseInput } from '../../domain/schema';
import { parseTicket } from '../../domain/ticket';
import { requiredReason } from '../../domain/text';
import { parseInstant } from '../../domain/calendar';
import { changeCaseStatus, openCaseOnTopic, type CoreDeps } from '../../domain/use-cases';
import { actorOf, ifMatch, jsonBody, Versioned, type ApiRequest, type Role, type Route } from './api';

const STAFF: Role[] = ['agent', 'supervisor', 'admin'];

const json = jsonBody;

const pageOf = (query: Readonly<Record<string, string>>) => {
  const limit = query.limit === undefined ? undefined : Number(query.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100))
    throw new ValidationError('limit', 'must be a whole number from 1 to 100');
  return { ...(limit ? { limit } : {}), ...(query.cursor ? { cursor: query.cursor } : {}) };
};

const registerBody = z.strictObject({
  givenNames: z.optional(z.string()),
  surnames: z.optional(z.string()),
  phone: z.optional(z.string()),
  email: z.optional(z.string()),
  document: z.optional(z.strictObject({ type: z.string(), number: z.string() })),
  language: z.optional(z.enum(['es', 'en'])),
});
const identitiesBody = z.strictObject({ ...registerBody.shape, reason: z.string() });

/** The citizen as a registration may see them: identities and document it did not carry, masked. */
function maskedBeyond(known: Citizen, carried: Pick<Citizen, 'identities' | 'document'>): Citizen {
  const key = (i: Identity) => `${i.kind}#${i.value}`;
  const brought = new Set(carried.identities.map(key));
  const sameDocument =
    known.document &&
    carried.document &&
    documentIdentity(known.document).value === documentIdentity(carried.document).value;
  return {
    ...known,
    identities: known.identities.map((i) => (brought.has(key(i)) ? i : { ...i, value: maskIdentity(i) })),
    ...(known.document && !sameDocument
      ? { document: { ...known.document, number: maskMiddle(known.document.number) } }
      : {}),
  };
}

const openBody = z.strictObject({
  citizenId: z.string().check(z.minLength(1)),
  topicId: z.string().check(z.minLength(1)),
  channel: z.enum(CHANNELS),
  request: z.optional(z.string()),
  contactId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
});
const transitionBody = z.strictObject({
  to: z.enum(CASE_STATUSES),
  reason: z.optional(z.string()),
  answer: z.optional(z.string()),
});
const noteBody = z.strictObject({ text: z.string() });
const mergeBody = z.strictObject({
  duplicateId: z.string().check(z.minLength(1), z.maxLength(64)),
  reason: z.string(),
});
const wrapUpBody = z.strictObject({
  citizenId: z.string().check(z.minLength(1), z.maxLength(64)),
  channel: z.enum(CHANNELS),
  startedAt: z.string(),
  topicId: z.optional(z.string()),
  ticket: z.optional(z.string()),
  note: z.optional(z.string()),
});
const SUPERVISORS: Role[] = ['supervisor', 'admin'];

/**
 * The agents' and supervisors' workbench: find and register citizens, see a citizen's timeline, open cases
 * during a contact, move them through the state machine with optimistic concurrency, and keep notes.
 */
export function workbenchRoutes(
  deps: CoreDeps & {
    notes: CaseNotes;
    links: CitizenLinkStore;
    /** Where an administrator's read of a blocked record is kept, with its reason. */
    privacy: PrivacyLog;
    /** Every read of a citizen or a case: who, what, when, from where. */
    reads: ReadAudit;
    deployment: Pick<
      Deployment,
      'country' | 'languages' | 'defaultLanguage' | 'defaultDocumentType' | 'timeZone' | 'departments'
    >;
  },
): Route[] {
  const { country, languages, defaultDocumentType } = deps.deployment;
  const current = (id: string) => currentCitizen(deps.citizens, id);
  /** Keeps the read of a citizen's record (after it was allowed). */
  const recordRead = (request: ApiRequest, what: ReadEvent['what'], citizenId: string, ticket?: string) => {
    const at = deps.clock.now();
    return deps.reads.record(
      {
        id: deps.newId(),
        at: at.toISOString(),
        actor: actorOf(request),
        what,
        citizenId,
        ...(ticket ? { ticket } : {}),
        ...(request.from ? { from: request.from } : {}),
      },
      deps.calendar.local(at).date,
    );
  };
  /**
   * A record kept after its citizen's erasure is read only by an administrator who gives a reason
   * (`?reason=`), which the citizen's privacy log keeps; anyone else is told it is blocked.
   */
  const readBlocked = async (request: ApiRequest, citizenId: string, what: string) => {
    if (!request.roles.has('admin')) throw new BlockedError(what);
    const reason = requiredReason(request.query.reason, `is required to read a blocked ${what}`);
    await deps.privacy.record({
      id: deps.newId(),
      at: deps.clock.now().toISOString(),
      actor: actorOf(request),
      action: 'blocked-read',
      citizenId,
      reason,
      records: 1,
    });
  };
  /** Phone, email and document of a body, normalised; the document also as its own value. */
  const identitiesOf = (body: z.infer<typeof registerBody>) => {
    const document = body.document ? normalizeDocument(body.document.type, body.document.number) : undefined;
    const identities: Identity[] = [
      ...(body.phone !== undefined ? [phoneIdentity(body.phone, country, 'phone')] : []),
      ...(body.email !== undefined ? [emailIdentity(body.email, 'email')] : []),
    ];
    return { identities, document };
  };
  const caseView = async (c: Case) => ({
    case: c,
    audit: await deps.cases.audit(c.ticket),
    contacts: await deps.cases.contacts(c.ticket),
    notes: await deps.notes.notes(c.ticket),
  });
  const identityOf = (query: Readonly<Record<string, string>>): Identity | undefined => {
    if (query.phone !== undefined) return phoneIdentity(query.phone, country, 'phone');
    if (query.document !== undefined) {
      const [type, ...rest] = query.document.includes(':')
        ? query.document.split(':')
        : [defaultDocumentType, query.document];
      return documentIdentity(normalizeDocument(type, rest.join(':'), 'document'));
    }
    return undefined;
  };

  return [
    {
      // What the agent panel names and offers: the procedures (to open a case on) and the departments.
      method: 'GET',
      path: '/catalogue',
      roles: STAFF,
      handle: async () => ({
        languages,
        defaultLanguage: deps.deployment.defaultLanguage,
        defaultDocumentType,
        timeZone: deps.deployment.timeZone,
        departments: deps.deployment.departments.map((d) => ({ id: d.id, name: d.name })),
        topics: deps.catalogue.entries.map((e) => ({
          id: e.id,
          department: e.department,
          name: e.name,
          needsPerson: e.needsPerson,
        })),
      }),
    },
    {
      method: 'GET',
      path: '/citizens',
      roles: STAFF,
      handle: async ({ query }) => {
        const given = ['phone', 'document', 'surname'].filter((k) => query[k] !== undefined);
        if (given.length !== 1)
          throw new ValidationError('query', 'give exactly one of phone, document or surname');
        if (query.surname !== undefined) {
          if (query.surname.trim().length < 2) throw new ValidationError('surname', 'at least 2 letters');
          return deps.citizens.bySurname(query.surname, pageOf(query));
        }
        const found = await deps.citizens.byIdentity(identityOf(query)!);
        return { items: found ? [found] : [] };
      },
    },
    {
      method: 'GET',
      path: '/citizens/{id}',
      roles: STAFF,
      handle: async (request) => {
        const { params, query } = request;
        const citizen = await current(params.id!);
        if (citizen.erasedAt) await readBlocked(request, citizen.id, 'citizen');
        // The read is kept alongside (a failure to keep it fails the request: no read goes unrecorded).
        const [cases, contacts, merges, links] = await Promise.all([
          deps.cases.byCitizen(citizen.id, pageOf(query)),
          citizenTimeline(deps.citizens, citizen),
          deps.links.merges(citizen.id),
          deps.links.links(citizen.id),
          recordRead(request, 'citizen', citizen.id),
        ]);
        const open = new Set(cases.items.filter((c) => !isClosed(c.status)).map((c) => c.ticket as string));
        // A repeat contact: two or more contacts of the last 7 days about one case still open (the one under
        // way is among them when it is on the timeline).
        const repeat = repeatOf(contacts, open, deps.clock.now());
        return {
          citizen,
          ...(citizen.id !== params.id ? { requestedId: params.id } : {}),
          cases: cases.items,
          casesCursor: cases.cursor,
          contacts,
          merges,
          links,
          ...(repeat && repeat.contacts >= 2 ? { repeat } : {}),
        };
      },
    },
    {
      method: 'POST',
      path: '/citizens',
      roles: STAFF,
      status: 201,
      handle: async (request) => {
        const body = parseInput(registerBody, json(request));
        if (body.language !== undefined && !languages.includes(body.language))
          throw new ValidationError('language', `must be one of ${languages.join(', ')}`);
        const { identities, document } = identitiesOf(body);
        const details = {
          ...(body.givenNames !== undefined ? { givenNames: body.givenNames } : {}),
          ...(body.surnames !== undefined ? { surnames: body.surnames } : {}),
          ...(document ? { document } : {}),
        };
        const citizen: Citizen = newCitizen(
          {
            ...details,
            ...(body.language ? { language: body.language } : {}),
            identities,
            provisional: false,
          },
          deps.newId(),
          deps.clock.now().toISOString(),
        );
        const registration = await registerCitizen(
          deps,
          citizen,
          {
            ...(body.givenNames !== undefined ? { givenNames: citizen.givenNames } : {}),
            ...(body.surnames !== undefined ? { surnames: citizen.surnames } : {}),
            ...(document ? { document } : {}),
          },
          {
            actor: actorOf(request),
            reason: 'registration giving the names and document on record',
            id: deps.newId(),
          },
        );
        // Whoever registers learns nothing they did not bring: the other identities on record are masked.
        return registration.result === 'verified'
          ? { ...registration, citizen: maskedBeyond(registration.citizen, citizen) }
          : registration;
      },
    },
    {
      method: 'POST',
      path: '/citizens/{id}/identities',
      roles: STAFF,
      handle: async (request) => {
        const { reason: given, ...body } = parseInput(identitiesBody, json(request));
        if (body.language !== undefined) throw new ValidationError('language', 'is not changed here');
        const reason = requiredReason(given, 'say why these belong to the citizen (e.g. "shown ID")');
        const { identities, document } = identitiesOf(body);
        const all = [...identities, ...(document ? [documentIdentity(document)] : [])];
        if (all.length === 0) throw new ValidationError('body', 'give a phone, email or document to add');
        const target = await current(request.params.id!);
        return linkIdentities(deps, target.id, all, document ? { document } : {}, {
          actor: actorOf(request),
          reason,
          id: deps.newId(),
        });
      },
    },
    {
      method: 'POST',
      path: '/citizens/{id}/merge',
      roles: SUPERVISORS,
      handle: async (request) => {
        const body = parseInput(mergeBody, json(request));
        const reason = requiredReason(body.reason);
        const plan = await mergeCitizens(deps, {
          survivorId: request.params.id!,
          duplicateId: body.duplicateId,
          actor: actorOf(request),
          reason,
        });
        return { citizen: plan.citizen, merge: plan.record };
      },
    },
    {
      method: 'GET',
      path: '/cases',
      roles: STAFF,
      handle: async ({ query }) => {
        const status = (query.status ?? 'OPEN') as CaseStatus;
        if (!CASE_STATUSES.includes(status))
          throw new ValidationError('status', `must be one of ${CASE_STATUSES.join(', ')}`);
        if (!query.department) throw new ValidationError('department', 'is required');
        const range = {
          ...(query.from ? { from: parseInstant(query.from, 'from') } : {}),
          ...(query.to ? { to: parseInstant(query.to, 'to') } : {}),
        };
        return deps.cases.byStatusAndDepartment(status, query.department, { ...pageOf(query), ...range });
      },
    },
    {
      // The supervisors' lists: a view (open, overdue, pending response, pending communication) over one
      // department or all, sorted; as JSON, or as a CSV file with `format=csv`.
      method: 'GET',
      path: '/supervision/cases',
      roles: SUPERVISORS,
      handle: async ({ query }) => {
        const all = deps.deployment.departments.map((d) => d.id);
        const department = query.department ?? 'all';
        if (department !== 'all' && !all.includes(department))
          throw new ValidationError('department', `unknown department "${department}"`);
        const list = await supervisionList(deps.cases, {
          ...(query.view ? { view: query.view } : {}),
          ...(query.sort ? { sort: query.sort } : {}),
          departments: department === 'all' ? all : [department],
          now: deps.clock.now(),
        });
        if (query.format === 'csv') return { ...list, csv: supervisionCsv(list.items) };
        if (query.format !== undefined) throw new ValidationError('format', 'must be csv, or left out');
        return list;
      },
    },
    {
      method: 'GET',
      path: '/cases/{ticket}',
      roles: STAFF,
      handle: async (request) => {
        const found = await deps.cases.byTicket(parseTicket(request.params.ticket!));
        if (!found) throw new NotFoundError('case');
        if (found.blocked) await readBlocked(request, found.citizenId, 'case');
        const [view] = await Promise.all([
          caseView(found),
          recordRead(request, 'case', found.citizenId, found.ticket),
        ]);
        return new Versioned(view, found.version);
      },
    },
    {
      method: 'POST',
      path: '/cases',
      roles: STAFF,
      status: 201,
      handle: async (request) => {
        const body = parseInput(openBody, json(request));
        return openCaseOnTopic(deps, {
          citizenId: (await current(body.citizenId)).id,
          topicId: body.topicId,
          channel: body.channel,
          ...(body.request !== undefined ? { request: body.request } : {}),
          ...(body.contactId ? { contactId: body.contactId } : {}),
          actor: actorOf(request),
        });
      },
    },
    {
      method: 'POST',
      path: '/cases/{ticket}/transitions',
      roles: STAFF,
      handle: async (request) => {
        const body = parseInput(transitionBody, json(request));
        const changed = await changeCaseStatus(
          deps,
          parseTicket(request.params.ticket!),
          {
            to: body.to,
            actor: actorOf(request),
            ...(body.reason !== undefined ? { reason: body.reason } : {}),
            ...(body.answer !== undefined ? { answer: body.answer } : {}),
          },
          ifMatch(request, 'case'),
        );
        return new Versioned(changed, changed.version);
      },
    },
    {
      method: 'POST',
      path: '/cases/{ticket}/notes',
      roles: STAFF,
      status: 201,
      handle: async (request) => {
        const body = parseInput(noteBody, json(request));
        const ticket = parseTicket(request.params.ticket!);
        if ((await deps.cases.byTicket(ticket))?.blocked) throw new BlockedError('case');
        const note = newNote({
          ticket,
          id: deps.newId(),
          at: deps.clock.now().toISOString(),
          author: actorOf(request),
          text: body.text,
        });
        await deps.notes.addNote(note);
        return note;
      },
    },
    {
      // After-contact work: the contact's topic and the agent's note on the citizen's timeline.
      method: 'POST',
      path: '/contacts/{contactId}/wrap-up',
      roles: STAFF,
      handle: async (request) => {
        const body = parseInput(wrapUpBody, json(request));
        return wrapUpContact(deps, {
          ...body,
          contactId: request.params.contactId!,
          actor: actorOf(request),
        });
      },
    },
  ];
}
