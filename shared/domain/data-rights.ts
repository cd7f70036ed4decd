import { isClosed, type Actor, type Case } from './case';
import type { Catalogue, DataRight } from './catalogue';
import { personName, type Citizen } from './citizen';
import { BlockedError, IdentityTakenError, NotFoundError, ValidationError } from './errors';
import { documentIdentity, type Identity, type NationalDocument } from './identity';
import { mergedSummary, type CitizenLinkStore, type LinkRecord } from './merge';
import type { CaseRepository, CitizenRepository, Clock } from './ports';
import { batchDepartment, type RectificationNotice } from './backoffice';
import { ticketsOf, type SubjectRecord } from './subject-access';
import { parseTicket } from './ticket';
import { changeCaseStatus } from './use-cases';

/**
 * The case a privacy action answers: a request of that right (its procedure's `dataRight`) made by the
 * citizen, still open — or, for a repeated erasure, already resolved by the first attempt. `undefined` when
 * no ticket is given: the action is then taken on a reference alone.
 */
export async function requestCase(
  deps: { cases: Pick<CaseRepository, 'byTicket'>; catalogue: Catalogue },
  ticket: unknown,
  citizenId: string,
  right: DataRight,
): Promise<Case | undefined> {
  if (ticket === undefined) return undefined;
  if (typeof ticket !== 'string') throw new ValidationError('ticket', 'must be a ticket number');
  const found = await deps.cases.byTicket(parseTicket(ticket));
  if (!found) throw new NotFoundError('case');
  if (found.citizenId !== citizenId) throw new ValidationError('ticket', 'is a request of another citizen');
  if (deps.catalogue.get(found.topicId)?.dataRight !== right)
    throw new ValidationError('ticket', `is not a request for ${right}`);
  const repeat = right === 'erasure' && found.status === 'RESOLVED';
  if (isClosed(found.status) && !repeat)
    throw new ValidationError('ticket', `is closed (${found.status}): the request was answered already`);
  return found;
}

/** Resolves the request a privacy action answered, with the action's reason or reference in its history. */
export async function resolveRequest(
  deps: { cases: CaseRepository; citizens: CitizenRepository; clock: Clock },
  request: Case | undefined,
  actor: Actor,
  reason: string,
): Promise<Case | undefined> {
  if (!request || isClosed(request.status)) return request;
  return changeCaseStatus(deps, request.ticket, { to: 'RESOLVED', actor, reason }, request.version);
}

/** What a rectification may correct: the names and the national document, which exports carry. */
export interface Corrections {
  readonly givenNames?: string;
  readonly surnames?: string;
  readonly document?: NationalDocument;
}

export interface Rectification {
  readonly citizen: Citizen;
  /** The fields corrected (their names only: the record of a rectification holds no personal data). */
  readonly fields: readonly (keyof Corrections)[];
}

/**
 * The departments that received the citizen's data in an export, each with the rows it received (ticket, date,
 * procedure): each is to be told of the correction by its next export.
 */
export function rectificationNotices(
  records: readonly SubjectRecord[],
  citizenId: string,
  at: string,
  fields: readonly string[],
): RectificationNotice[] {
  const tickets = ticketsOf(records);
  const byDepartment = new Map<string, Map<string, { ticket: string; date: string; topic: string }>>();
  for (const r of records) {
    const batch = r.kind === 'batch' ? batchDepartment(r.key.pk.slice('BATCH#'.length)) : undefined;
    if (!batch) continue;
    const rows = (r.data.rows as { ticket: string; date: string; topic: string }[] | undefined) ?? [];
    for (const row of rows.filter((x) => tickets.has(String(x.ticket)))) {
      const seen = byDepartment.get(batch.department) ?? new Map();
      seen.set(row.ticket, { ticket: row.ticket, date: row.date, topic: row.topic });
      byDepartment.set(batch.department, seen);
    }
  }
  return [...byDepartment].map(([departmentId, rows]) => ({
    departmentId,
    citizenId,
    at,
    fields,
    rows: [...rows.values()].sort((a, b) => a.ticket.localeCompare(b.ticket)),
  }));
}

/**
 * Corrects a citizen's names or document, in one transaction with their screen pops and the notices to the
 * departments that received their data (`received`: each is told by its next export): a new document becomes
 * the identity that finds them (the old one no longer does); IdentityTakenError when another citizen holds it.
 * An erased citizen has nothing to correct (BlockedError). The link record keeps who, when, the reference and
 * the new document identity, never the old values.
 */
export async function rectifyCitizen(
  deps: { citizens: CitizenRepository; links: CitizenLinkStore; clock: Clock },
  citizenId: string,
  corrections: Corrections,
  proof: { readonly actor: Actor; readonly reason: string; readonly id: string },
  received: (fields: readonly string[], at: string) => readonly RectificationNotice[] = () => [],
): Promise<Rectification & { readonly notices: readonly RectificationNotice[] }> {
  const citizen = await deps.citizens.byId(citizenId);
  if (!citizen || citizen.mergedInto) throw new NotFoundError('citizen');
  if (citizen.erasedAt) throw new BlockedError('the citizen');
  const now = deps.clock.now().toISOString();
  // The names pass the same checks as a registration's; a correction cannot empty them.
  const corrected = (field: 'givenNames' | 'surnames') => {
    if (corrections[field] === undefined) return citizen[field];
    const name = personName(field, corrections[field]);
    if (!name) throw new ValidationError(field, 'must contain letters');
    return name;
  };
  const checked = { givenNames: corrected('givenNames'), surnames: corrected('surnames') };
  const oldDocument = citizen.document ? documentIdentity(citizen.document) : undefined;
  const asked = corrections.document ? documentIdentity(corrections.document) : undefined;
  const newDocument = asked && asked.value !== oldDocument?.value ? asked : undefined;
  const fields: (keyof Corrections)[] = [
    ...(['givenNames', 'surnames'] as const).filter((f) => checked[f] !== citizen[f]),
    ...(newDocument ? (['document'] as const) : []),
  ];
  if (!fields.length) throw new ValidationError('corrections', 'nothing differs from the record');

  const key = (i: Identity) => `${i.kind}#${i.value}`;
  if (newDocument) {
    const owner = await deps.citizens.byIdentity(newDocument);
    if (owner && owner.id !== citizen.id) throw new IdentityTakenError(newDocument.kind, owner.id);
  }
  const identities = newDocument
    ? [...citizen.identities.filter((i) => !oldDocument || key(i) !== key(oldDocument)), newDocument]
    : citizen.identities;
  const next: Citizen = {
    ...citizen,
    ...(checked.givenNames ? { givenNames: checked.givenNames } : {}),
    ...(checked.surnames ? { surnames: checked.surnames } : {}),
    ...(newDocument ? { document: corrections.document! } : {}),
    identities,
    provisional: citizen.provisional && !(checked.givenNames && checked.surnames),
    updatedAt: now,
    version: citizen.version + 1,
  };
  const stored = await deps.links.summaries(citizen);
  const removed =
    newDocument && oldDocument ? stored.filter((s) => key(s.identity) === key(oldDocument)) : [];
  const kept = stored.filter((s) => !removed.includes(s));
  const record: LinkRecord = {
    id: proof.id,
    at: now,
    actor: proof.actor,
    reason: `${proof.reason} (${fields.join(', ')})`,
    citizenId: citizen.id,
    identities: newDocument ? [newDocument] : [],
  };
  const notices = received(fields, now);
  await deps.links.commitLink(
    next,
    newDocument ? [newDocument] : [],
    mergedSummary(next, kept, deps.clock.now()),
    kept,
    record,
    removed,
    notices,
  );
  return { citizen: next, fields, notices };
}
