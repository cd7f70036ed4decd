import { isClosed, type Actor, type Case } from './case';
import type { Citizen } from './citizen';
import { ForbiddenError, IdentityTakenError, MergeConflictError, NotFoundError } from './errors';
import { documentIdentity, type Identity } from './identity';
import type { ContactRecord } from './contact';
import type { RectificationNotice } from './backoffice';
import type { CitizenRepository, Clock } from './ports';
import { normalizeName } from './text';
import { contactsToPrune, emptySummary, type ScreenPopSummary } from './screen-pop';

/** The summary stored on one identity item, with the revision a write must still find there. */
export interface StoredSummary {
  readonly identity: Identity;
  readonly summary: ScreenPopSummary;
  /** Bumped by every summary change; a merge or link writes only if it is unchanged. */
  readonly rev: number;
}

/** The audit record of a merge, kept on the surviving citizen. */
export interface MergeRecord {
  readonly id: string;
  readonly at: string;
  readonly actor: Actor;
  readonly reason: string;
  readonly survivorId: string;
  readonly duplicateId: string;
  readonly tickets: readonly string[];
  readonly identities: readonly Identity[];
}

/** The trace of identities added to a citizen: who, when, why; kept on the citizen. */
export interface LinkRecord {
  readonly id: string;
  readonly at: string;
  readonly actor: Actor;
  readonly reason: string;
  readonly citizenId: string;
  readonly identities: readonly Identity[];
}

/** Who links identities to a citizen, and why. */
export interface LinkProof {
  readonly actor: Actor;
  readonly reason: string;
  readonly id: string;
}

/** Everything a merge reads before it decides. */
export interface MergeSnapshot {
  readonly survivor: Citizen;
  readonly duplicate: Citizen;
  /** Every case of the duplicate, open or closed. */
  readonly duplicateCases: readonly Case[];
  /** The stored summary of every identity of both citizens. */
  readonly summaries: readonly StoredSummary[];
}

/** Everything a merge writes, all or nothing. */
export interface MergePlan {
  readonly snapshot: MergeSnapshot;
  /** The survivor with the duplicate's identities and the details it lacked. */
  readonly citizen: Citizen;
  /** The duplicate, kept as a pointer to the survivor. */
  readonly tombstone: Citizen;
  /** The summary every identity of the merged citizen will carry. */
  readonly summary: ScreenPopSummary;
  readonly record: MergeRecord;
}

/** The most items one merge writes at once (a DynamoDB transaction holds 100). */
export const MERGE_MAX_ITEMS = 100;

/** The items a plan writes: profiles, identity summaries, each moved case (+2 for an open one's topic guard), the record. */
export const mergeItemCount = (s: MergeSnapshot): number =>
  2 + s.summaries.length + s.duplicateCases.reduce((n, c) => n + (isClosed(c.status) ? 1 : 3), 0) + 1;

/**
 * Decides a merge of `duplicate` into `survivor`. Pure. Refuses (MergeConflictError) two citizens holding
 * different documents, a citizen already merged, both having an open case on one topic (one must be closed
 * first: a citizen has at most one open case per topic), and a merge too large to write at once.
 */
export function planMerge(
  snapshot: MergeSnapshot,
  input: { actor: Actor; reason: string; now: string; id: string },
): MergePlan {
  const { survivor, duplicate } = snapshot;
  if (survivor.id === duplicate.id) throw new MergeConflictError('a citizen cannot be merged into itself');
  if (survivor.mergedInto) throw new MergeConflictError(`citizen ${survivor.id} was merged already`);
  if (duplicate.mergedInto) throw new MergeConflictError(`citizen ${duplicate.id} was merged already`);
  if (
    survivor.document &&
    duplicate.document &&
    (survivor.document.type !== duplicate.document.type ||
      survivor.document.number !== duplicate.document.number)
  )
    throw new MergeConflictError('the two citizens hold different documents');
  const survivorTopics = new Map(
    snapshot.summaries
      .filter((s) => s.summary.citizenId === survivor.id)
      .flatMap((s) => Object.entries(s.summary.openCases).map(([t, e]) => [e.topicId, t] as const)),
  );
  const clash = snapshot.duplicateCases.find((c) => !isClosed(c.status) && survivorTopics.has(c.topicId));
  if (clash)
    throw new MergeConflictError(
      `both have an open case on topic "${clash.topicId}" (${survivorTopics.get(clash.topicId)} and ${clash.ticket}); close one first`,
    );
  const items = mergeItemCount(snapshot);
  if (items > MERGE_MAX_ITEMS)
    throw new MergeConflictError(
      `the merge would write ${items} items at once, more than ${MERGE_MAX_ITEMS}; close or move cases first`,
    );

  const identities = [...survivor.identities, ...duplicate.identities];
  const pick = <K extends 'givenNames' | 'surnames' | 'document'>(key: K) => survivor[key] ?? duplicate[key];
  const givenNames = pick('givenNames');
  const surnames = pick('surnames');
  const document = pick('document');
  const citizen: Citizen = {
    ...survivor,
    ...(givenNames ? { givenNames } : {}),
    ...(surnames ? { surnames } : {}),
    ...(document ? { document } : {}),
    consents: { ...duplicate.consents, ...survivor.consents },
    identities,
    provisional: survivor.provisional && duplicate.provisional,
    mergedFrom: [...(survivor.mergedFrom ?? []), duplicate.id, ...(duplicate.mergedFrom ?? [])],
    updatedAt: input.now,
    version: survivor.version + 1,
  };
  const tombstone: Citizen = {
    ...duplicate,
    identities: [],
    mergedInto: survivor.id,
    updatedAt: input.now,
    version: duplicate.version + 1,
  };
  return {
    snapshot,
    citizen,
    tombstone,
    summary: mergedSummary(citizen, snapshot.summaries, new Date(input.now)),
    record: {
      id: input.id,
      at: input.now,
      actor: input.actor,
      reason: input.reason,
      survivorId: survivor.id,
      duplicateId: duplicate.id,
      tickets: snapshot.duplicateCases.map((c) => c.ticket),
      identities: duplicate.identities,
    },
  };
}

/** One summary for a citizen from the summaries of all its identities: open cases and recent contacts joined. */
export function mergedSummary(
  citizen: Citizen,
  stored: readonly StoredSummary[],
  now: Date,
): ScreenPopSummary {
  const joined: ScreenPopSummary = {
    ...emptySummary(citizen),
    openCases: Object.assign({}, ...stored.map((s) => s.summary.openCases)),
    contacts: Object.assign({}, ...stored.map((s) => s.summary.contacts)),
  };
  const drop = new Set(contactsToPrune(joined, now, 0));
  return {
    ...joined,
    contacts: Object.fromEntries(Object.entries(joined.contacts).filter(([id]) => !drop.has(id))),
  };
}

/** The storage side of merging citizens and linking identities to one. */
export interface CitizenLinkStore {
  /** Reads both citizens, every case of the duplicate and the summaries of every identity. */
  mergeSnapshot(survivorId: string, duplicateId: string): Promise<MergeSnapshot>;
  /** Writes the plan atomically; ConcurrentChangeError when either citizen, a case or a summary changed since. */
  commitMerge(plan: MergePlan): Promise<void>;
  /** The summaries stored on a citizen's identities. */
  summaries(citizen: Citizen): Promise<readonly StoredSummary[]>;
  /**
   * Adds identities to a citizen: the profile (at its version), a new identity item each carrying the
   * citizen's summary, and the identity list of the existing summaries. IdentityTakenError when one belongs
   * to someone else; ConcurrentChangeError when the citizen or a summary changed since it was read. The
   * identity items of `removed` (a document corrected) are deleted, if unchanged since they were read; the
   * `notices` of a rectification are written with them.
   */
  commitLink(
    next: Citizen,
    added: readonly Identity[],
    summary: ScreenPopSummary,
    stored: readonly StoredSummary[],
    record: LinkRecord,
    removed?: readonly StoredSummary[],
    notices?: readonly RectificationNotice[],
  ): Promise<void>;
  /** The merges recorded on a citizen, newest first. */
  merges(citizenId: string): Promise<readonly MergeRecord[]>;
  /** The identity links recorded on a citizen, newest first. */
  links(citizenId: string): Promise<readonly LinkRecord[]>;
}

/** Merges a duplicate citizen into a survivor: supervisors and admins only, with a reason, audited. */
export async function mergeCitizens(
  deps: { links: CitizenLinkStore; clock: Clock; newId: () => string },
  input: { survivorId: string; duplicateId: string; actor: Actor; reason: string },
): Promise<MergePlan> {
  if (input.actor.role !== 'supervisor' && input.actor.role !== 'admin')
    throw new ForbiddenError('merge citizens');
  const snapshot = await deps.links.mergeSnapshot(input.survivorId, input.duplicateId);
  const plan = planMerge(snapshot, {
    actor: input.actor,
    reason: input.reason,
    now: deps.clock.now().toISOString(),
    id: deps.newId(),
  });
  await deps.links.commitMerge(plan);
  return plan;
}

/**
 * Adds identities (a phone, an email, a document) to an existing citizen, who is then reached by them. An
 * identity already theirs is skipped; one belonging to someone else is IdentityTakenError (a merge, if they
 * are one person).
 */
export async function linkIdentities(
  deps: { citizens: CitizenRepository; links: CitizenLinkStore; clock: Clock },
  citizenId: string,
  identities: readonly Identity[],
  details: Partial<Pick<Citizen, 'givenNames' | 'surnames' | 'document'>>,
  proof: LinkProof,
): Promise<{ citizen: Citizen; added: readonly Identity[] }> {
  const citizen = await deps.citizens.byId(citizenId);
  if (!citizen || citizen.mergedInto) throw new NotFoundError('citizen');
  const key = (i: Identity) => `${i.kind}#${i.value}`;
  const own = new Set(citizen.identities.map(key));
  const fresh = identities.filter(
    (i, n) => !own.has(key(i)) && identities.findIndex((j) => key(j) === key(i)) === n,
  );
  for (const identity of fresh) {
    const owner = await deps.citizens.byIdentity(identity);
    if (owner) throw new IdentityTakenError(identity.kind, owner.id);
  }
  const named = Object.values(details).some((v) => v !== undefined);
  if (fresh.length === 0 && !named) return { citizen, added: [] };
  if (
    details.document &&
    citizen.document &&
    key(documentIdentity(details.document)) !== key(documentIdentity(citizen.document))
  )
    throw new MergeConflictError('the citizen already holds a different document');
  const givenNames = citizen.givenNames ?? details.givenNames;
  const surnames = citizen.surnames ?? details.surnames;
  const next: Citizen = {
    ...citizen,
    ...(givenNames ? { givenNames } : {}),
    ...(surnames ? { surnames } : {}),
    ...((citizen.document ?? details.document) ? { document: citizen.document ?? details.document! } : {}),
    identities: [...citizen.identities, ...fresh],
    provisional: citizen.provisional && !(givenNames && surnames),
    updatedAt: deps.clock.now().toISOString(),
    version: citizen.version + 1,
  };
  const stored = await deps.links.summaries(citizen);
  const record: LinkRecord = {
    id: proof.id,
    at: next.updatedAt,
    actor: proof.actor,
    reason: proof.reason,
    citizenId: citizen.id,
    identities: fresh,
  };
  await deps.links.commitLink(next, fresh, mergedSummary(next, stored, deps.clock.now()), stored, record);
  return { citizen: next, added: fresh };
}

/** How many merges a citizen id is followed through to the citizen that holds its record now. */
export const MAX_MERGE_HOPS = 5;

/** The citizen that holds an id's record now, following merge pointers; NotFoundError when there is none. */
export async function currentCitizen(
  citizens: Pick<CitizenRepository, 'byId'>,
  id: string,
): Promise<Citizen> {
  let citizen = await citizens.byId(id);
  for (let hop = 0; citizen?.mergedInto && hop < MAX_MERGE_HOPS; hop++)
    citizen = await citizens.byId(citizen.mergedInto);
  if (!citizen || citizen.mergedInto) throw new NotFoundError('citizen');
  return citizen;
}

/**
 * A citizen's contacts on every channel, newest first: a merged citizen's timeline holds the contacts
 * recorded under each id it was merged from.
 */
export async function citizenTimeline(
  citizens: Pick<CitizenRepository, 'contacts'>,
  citizen: Citizen,
  limit = 50,
): Promise<ContactRecord[]> {
  const ids = [citizen.id, ...(citizen.mergedFrom ?? [])];
  const timelines = await Promise.all(ids.map((id) => citizens.contacts(id, { limit })));
  return timelines
    .flatMap((t) => t.items)
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, limit);
}

/**
 * Whether a registration proves it is the person on record, enough to link new identities to them: every
 * name on record given and the same, and the document on record given and the same. A provisional record
 * (a caller known by their phone alone) has nothing to compare, and is completed by the registration.
 */
export function provesOwner(
  known: Citizen,
  given: Partial<Pick<Citizen, 'givenNames' | 'surnames' | 'document'>>,
): boolean {
  const same = (a: string | undefined, b: string | undefined) =>
    !a || (b !== undefined && normalizeName(a) === normalizeName(b));
  const sameDocument =
    !known.document ||
    (given.document !== undefined &&
      documentIdentity(given.document).value === documentIdentity(known.document).value);
  return same(known.givenNames, given.givenNames) && same(known.surnames, given.surnames) && sameDocument;
}

export type Registration =
  | { readonly result: 'created'; readonly citizen: Citizen }
  | { readonly result: 'verified'; readonly citizen: Citizen; readonly added: readonly Identity[] };

/**
 * Registers a citizen, or verifies an existing one: when identities given are already known, they must all
 * belong to one citizen, and the registration must prove it is them (`provesOwner`: the names and the
 * document on record, given and the same) — that citizen is the answer, and the identities and details not
 * yet theirs are added with a link record of who and why (a provisional caller gets their name and document).
 * Anything else is IdentityTakenError: another person holds one of them.
 */
export async function registerCitizen(
  deps: { citizens: CitizenRepository; links: CitizenLinkStore; clock: Clock },
  citizen: Citizen,
  given: Partial<Pick<Citizen, 'givenNames' | 'surnames' | 'document'>>,
  proof: LinkProof,
): Promise<Registration> {
  try {
    return { result: 'created', citizen: await deps.citizens.create(citizen) };
  } catch (error) {
    if (!(error instanceof IdentityTakenError)) throw error;
    const owners = await Promise.all(citizen.identities.map((i) => deps.citizens.byIdentity(i)));
    const ids = new Set(owners.filter((o) => o !== undefined).map((o) => o.id));
    const owner = owners.find((o) => o !== undefined);
    if (ids.size !== 1 || !owner || !provesOwner(owner, given)) throw error;
    const linked = await linkIdentities(deps, owner.id, citizen.identities, given, proof);
    return { result: 'verified', citizen: linked.citizen, added: linked.added };
  }
}
