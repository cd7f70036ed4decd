import type { FileStore } from '../../domain/documents';
import type { Actor } from '../../domain/case';
import { ValidationError } from '../../domain/errors';
import type { Clock } from '../../domain/ports';
import { eraseCitizen, type ContactDataEraser, type ErasureStore } from '../../domain/erasure';
import { subjectAccess, type PrivacyLog, type SubjectStore } from '../../domain/subject-access';
import { readingReport, type ReadAudit } from '../../domain/read-audit';
import { placeHold, releaseHold, type HoldStore } from '../../domain/legal-hold';
import type { RetentionStore } from '../../domain/retention-sweep';
import type { Catalogue } from '../../domain/catalogue';
import { rectificationNotices, rectifyCitizen, requestCase, resolveRequest } from '../../domain/data-rights';
import { normalizeDocument } from '../../domain/identity';
import type { CitizenLinkStore } from '../../domain/merge';
import type { CaseRepository, CitizenRepository } from '../../domain/ports';
import { parseInput } from '../../domain/schema';
import { requestReference } from '../../domain/text';
import * as z from 'zod/mini';
import { NotFoundError } from '../../domain/errors';
import { parseTicket } from '../../domain/ticket';
import { actorOf, DocumentBody, jsonBody, type ApiRequest, type Route } from './api';
import { subjectDocument } from './subject-document';

const rectificationBody = z.strictObject({
  ticket: z.optional(z.string()),
  reference: z.optional(z.string()),
  givenNames: z.optional(z.string()),
  surnames: z.optional(z.string()),
  document: z.optional(z.strictObject({ type: z.string(), number: z.string() })),
});

/**
 * A citizen's rights over their data, for administrators. `POST /citizens/{id}/subject-access` with
 * `{"reason"}`: everything held about the citizen, as JSON, or with `?format=html` (and `lang=es|en`) as a
 * document to hand over; each export is recorded in the citizen's privacy log first.
 * `POST /citizens/{id}/erasure` with `{"reference"}` (the request's reference): the citizen erased
 * (`eraseCitizen`). `POST /citizens/{id}/rectification` with `{"reference"}` and the corrected `givenNames`,
 * `surnames` or `document`: the record corrected (`rectifyCitizen`), and each department that received the old
 * data told by its next export. Each of the three may name instead the `ticket` of the citizen's request (a
 * case of a procedure with that `dataRight`, whose business days are the legal deadline): the request is then
 * resolved by the act. `GET /citizens/{id}/privacy-log`: that log. `GET /citizens/{id}/readers`: every staff read
 * of the citizen or their cases (who, what, when, from where), newest first. `GET /admin/reading?date=`: a
 * day's readers with how many citizens each opened, and those who opened far more than their peers.
 * `POST /citizens/{id}/hold` and `POST /cases/{ticket}/hold` with `{"reference", "reason"}`: a legal hold
 * (`placeHold`); `…/hold/release` with `{"reference"}` ends it; `GET /admin/holds`: the holds in force.
 * `GET /admin/retention?date=`: the report of that night's retention sweep.
 */
export function privacyRoutes(deps: {
  subjects: SubjectStore;
  privacy: PrivacyLog;
  erasure: ErasureStore;
  contactData: ContactDataEraser;
  reads: ReadAudit;
  holds: HoldStore;
  cases: CaseRepository;
  citizens: CitizenRepository;
  links: CitizenLinkStore;
  catalogue: Catalogue;
  retention: Pick<RetentionStore, 'report'>;
  /** The deployment's local date of an instant. */
  localDate: (at: Date) => string;
  clock: Clock;
  newId: () => string;
  /** Where the citizens' documents' files are: an erasure removes them. */
  files?: Pick<FileStore, 'remove'>;
}): Route[] {
  /** The local date a report is asked for: `?date=YYYY-MM-DD`, today by default. */
  const dateOf = (request: ApiRequest) => {
    const date = request.query.date ?? deps.localDate(deps.clock.now());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ValidationError('date', 'must be YYYY-MM-DD');
    return date;
  };
  return [
    {
      method: 'POST',
      path: '/citizens/{id}/subject-access',
      roles: ['admin'],
      handle: async (request) => {
        const format = request.query.format ?? 'json';
        if (format !== 'json' && format !== 'html')
          throw new ValidationError('format', 'must be "json" or "html"');
        const lang = request.query.lang ?? 'es';
        if (lang !== 'es' && lang !== 'en') throw new ValidationError('lang', 'must be "es" or "en"');
        const body = jsonBody(request) as { reason?: unknown; ticket?: unknown } | null;
        const actor: Actor = actorOf(request);
        const citizenId = request.params.id!;
        const asked = await requestCase(deps, body?.ticket, citizenId, 'access');
        const data = await subjectAccess(deps, citizenId, actor, body?.reason);
        // The request answered: its case resolved, with the export's reason in its history.
        await resolveRequest(deps, asked, actor, data.reason);
        return format === 'html'
          ? new DocumentBody(
              subjectDocument(data, lang),
              'text/html; charset=utf-8',
              `subject-access-${data.citizenId}.html`,
            )
          : data;
      },
    },
    {
      method: 'POST',
      path: '/citizens/{id}/erasure',
      roles: ['admin'],
      handle: async (request) => {
        const body = jsonBody(request) as { reference?: unknown; ticket?: unknown } | null;
        const citizenId = request.params.id!;
        const actor = actorOf(request);
        const asked = await requestCase(deps, body?.ticket, citizenId, 'erasure');
        // A request's ticket is its reference when none other is given.
        const reference = body?.reference ?? asked?.ticket;
        return eraseCitizen(
          {
            ...deps,
            ...(asked ? { beforeRewrite: () => resolveRequest(deps, asked, actor, String(reference)) } : {}),
          },
          citizenId,
          actor,
          reference,
        );
      },
    },
    {
      method: 'POST',
      path: '/citizens/{id}/rectification',
      roles: ['admin'],
      handle: async (request) => {
        const body = parseInput(rectificationBody, jsonBody(request));
        const citizenId = request.params.id!;
        const actor = actorOf(request);
        const asked = await requestCase(deps, body.ticket, citizenId, 'rectification');
        const reference = requestReference(body.reference ?? asked?.ticket);
        const corrections = {
          ...(body.givenNames !== undefined ? { givenNames: body.givenNames } : {}),
          ...(body.surnames !== undefined ? { surnames: body.surnames } : {}),
          ...(body.document
            ? { document: normalizeDocument(body.document.type, body.document.number, 'document') }
            : {}),
        };
        const records = (await deps.subjects.collect(citizenId)) ?? [];
        const done = await rectifyCitizen(
          deps,
          citizenId,
          corrections,
          { actor, reason: `rectification ${reference}`, id: deps.newId() },
          (fields, at) => rectificationNotices(records, citizenId, at, fields),
        );
        await deps.privacy.record({
          id: deps.newId(),
          at: done.citizen.updatedAt,
          actor,
          action: 'rectification',
          citizenId,
          reason: `${reference}: ${done.fields.join(', ')}`,
          records: 1 + done.notices.length,
        });
        await resolveRequest(deps, asked, actor, reference);
        return {
          citizen: done.citizen,
          fields: done.fields,
          // The departments that received the data: their next export carries it corrected.
          toldBy: done.notices.map((n) => ({ departmentId: n.departmentId, rows: n.rows.length })),
        };
      },
    },
    {
      method: 'GET',
      path: '/citizens/{id}/readers',
      roles: ['admin'],
      handle: async (request) => ({ items: await deps.reads.readersOf(request.params.id!) }),
    },
    {
      method: 'GET',
      path: '/admin/reading',
      roles: ['admin'],
      handle: async (request) => {
        const date = dateOf(request);
        return readingReport(date, await deps.reads.day(date));
      },
    },
    ...(['citizen', 'case'] as const).flatMap((scope): Route[] => {
      const path = scope === 'citizen' ? '/citizens/{id}/hold' : '/cases/{ticket}/hold';
      const target = (request: { params: Record<string, string | undefined> }) =>
        scope === 'citizen' ? request.params.id! : parseTicket(request.params.ticket!);
      return [
        {
          method: 'POST',
          path,
          roles: ['admin'],
          handle: async (request) => {
            const body = jsonBody(request) as { reference?: unknown; reason?: unknown } | null;
            return placeHold(deps, {
              scope,
              target: target(request),
              actor: actorOf(request),
              reference: body?.reference,
              reason: body?.reason,
            });
          },
        },
        {
          method: 'POST',
          path: `${path}/release`,
          roles: ['admin'],
          handle: async (request) => {
            const body = jsonBody(request) as { reference?: unknown } | null;
            return releaseHold(deps, {
              scope,
              target: target(request),
              actor: actorOf(request),
              reference: body?.reference,
            });
          },
        },
      ];
    }),
    {
      method: 'GET',
      path: '/admin/holds',
      roles: ['admin'],
      handle: async () => ({ items: await deps.holds.active() }),
    },
    {
      method: 'GET',
      path: '/admin/retention',
      roles: ['admin'],
      handle: async (request) => {
        const date = dateOf(request);
        const report = await deps.retention.report(date);
        if (!report) throw new NotFoundError('retention report');
        return report;
      },
    },
    {
      method: 'GET',
      path: '/citizens/{id}/privacy-log',
      roles: ['admin'],
      handle: async (request) => ({ items: await deps.privacy.of(request.params.id!) }),
    },
  ];
}
