import type { Actor } from './case';
import { NotFoundError } from './errors';
import { refuseIfHeld, type HoldStore } from './legal-hold';
import { requestReference } from './text';
import { FOLLOW_UP_REQUESTS } from './follow-up';
import type { Clock } from './ports';
import { ticketsOf, type PrivacyLog, type SubjectRecord, type SubjectStore } from './subject-access';
import type { FileStore } from './documents';

/** What an erased free-text field or personal value reads as. */
export const ERASED = '[erased]';

export type ErasureStep =
  | { readonly action: 'delete'; readonly store: string; readonly key: SubjectRecord['key'] }
  | {
      readonly action: 'put';
      readonly store: string;
      readonly key: SubjectRecord['key'];
      readonly item: Readonly<Record<string, unknown>>;
    };

/** Carries out an erasure's steps; each step is safe to repeat, and a rewrite never brings back a deleted item. */
export interface ErasureStore {
  apply(steps: readonly ErasureStep[]): Promise<void>;
}

/** Asks the contact center to delete what it holds of contacts (Connect's DeleteContactData). */
export interface ContactDataEraser {
  erase(contactIds: readonly string[]): Promise<void>;
}

/** Records deleted outright: they exist only for the citizen (their identifiers, contacts, notes, messages). */
const DELETED = new Set<SubjectRecord['kind']>([
  'identity',
  'contact',
  'note',
  'message',
  'callback',
  'verification',
  'message-count',
  'sent',
  'waiter',
  'rectification',
  'document',
  'sign-in',
]);

/**
 * The citizen's personal values as their records hold them: names (whole, and each word of three letters or
 * more), document numbers, phone numbers (with and without the +), e-mail addresses.
 */
export function personalValues(records: readonly SubjectRecord[]): string[] {
  const values = new Set<string>();
  const addName = (name: unknown) => {
    if (typeof name !== 'string' || !name.trim()) return;
    values.add(name.trim());
    for (const word of name.split(/\s+/)) if (word.length >= 3) values.add(word);
  };
  for (const r of records) {
    addName(r.data.givenNames);
    addName(r.data.surnames);
    const doc = r.data.document as { number?: unknown } | undefined;
    if (typeof doc?.number === 'string') values.add(doc.number);
    for (const identity of (r.data.identities as { value?: unknown }[] | undefined) ?? [])
      if (typeof identity.value === 'string') {
        values.add(identity.value);
        if (identity.value.startsWith('+')) values.add(identity.value.slice(1));
      }
  }
  // Longest first: a full name goes before its words.
  return [...values].filter((v) => v.length >= 3).sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every string in a value with the personal values in it replaced (accents and case as written). */
function scrub(value: unknown, pattern: RegExp | undefined): unknown {
  if (!pattern) return value;
  if (typeof value === 'string') return value.replace(pattern, ERASED);
  if (Array.isArray(value)) return value.map((v) => scrub(v, pattern));
  if (value instanceof Set) return new Set([...value].map((v) => scrub(v, pattern)));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, pattern)]));
  return value;
}

function without(
  item: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...item };
  for (const f of fields) delete out[f];
  return out;
}

/**
 * The steps that erase a citizen: records that exist only for them are deleted; the ones a public body must
 * keep (the profile as a pseudonym, cases and their history, bookings, merges and links, back-office batches)
 * lose every personal field and free text, and are marked blocked; any personal value left in any string of
 * them is replaced. The consent record stays (a digest of the number: a STOP goes on being honoured).
 */
export function planErasure(
  records: readonly SubjectRecord[],
  erasure: { readonly at: string; readonly reference: string },
): ErasureStep[] {
  const values = personalValues(records);
  const pattern = values.length ? new RegExp(values.map(escapeRegExp).join('|'), 'giu') : undefined;
  const tickets = ticketsOf(records);
  // An item erased before keeps the mark of its first erasure: a repeat rewrites nothing.
  const mark = (r: SubjectRecord) => ({
    erasedAt: r.data.erasedAt ?? erasure.at,
    erasure: r.data.erasure ?? erasure.reference,
  });
  const steps: ErasureStep[] = [];
  for (const r of records) {
    if (DELETED.has(r.kind)) {
      steps.push({ action: 'delete', store: r.store, key: r.key });
      continue;
    }
    let item: Record<string, unknown>;
    switch (r.kind) {
      case 'profile':
        item = {
          ...without(r.data, ['givenNames', 'surnames', 'document', 'gsi1pk', 'gsi1sk']),
          identities: [],
          ...mark(r),
        };
        break;
      case 'merge':
      case 'link':
        item = { ...r.data, identities: [], reason: ERASED };
        break;
      case 'case': {
        const keepRequest = typeof r.data.request === 'string' && FOLLOW_UP_REQUESTS.includes(r.data.request);
        item = {
          ...without(r.data, keepRequest ? ['answer'] : ['answer', 'request']),
          blocked: true,
          ...mark(r),
        };
        break;
      }
      case 'audit':
        item = r.data.reason === undefined ? { ...r.data } : { ...r.data, reason: ERASED };
        break;
      case 'case-contact':
        item = without(r.data, ['request', 'note', 'wrapUp']);
        break;
      case 'booking':
        item = { ...without(r.data, ['notify']), blocked: true, ...mark(r) };
        break;
      case 'batch': {
        const theirs = (row: Record<string, unknown>) => tickets.has(String(row.ticket));
        item = {
          ...r.data,
          rows: ((r.data.rows as Record<string, unknown>[] | undefined) ?? []).map((row) =>
            theirs(row) ? { ...row, name: ERASED, document: ERASED, phone: ERASED, request: ERASED } : row,
          ),
          audits: ((r.data.audits as Record<string, unknown>[] | undefined) ?? []).map((a) =>
            theirs(a) && a.reason !== undefined ? { ...a, reason: ERASED } : a,
          ),
        };
        if (r.data.rows === undefined) delete item.rows;
        if (r.data.audits === undefined) delete item.audits;
        break;
      }
      default:
        item = { ...r.data };
    }
    const scrubbed = scrub(item, pattern) as Record<string, unknown>;
    // Keys stay as they are: an item is rewritten in place, never moved.
    scrubbed.pk = r.key.pk;
    scrubbed.sk = r.key.sk;
    if (JSON.stringify(scrubbed) !== JSON.stringify(r.data))
      steps.push({ action: 'put', store: r.store, key: r.key, item: scrubbed });
  }
  return steps;
}

/**
 * The contacts the contact center holds for the citizen: every one their records name — on their timeline,
 * their cases, their intakes, and the calls on which they proved who they are.
 */
export function contactIdsOf(records: readonly SubjectRecord[]): string[] {
  const ids = new Set<string>();
  for (const r of records) {
    if (typeof r.data.contactId === 'string') ids.add(r.data.contactId);
    if (r.key.pk.startsWith('VERIFIED#')) ids.add(r.key.pk.slice('VERIFIED#'.length));
  }
  return [...ids].sort();
}

export interface ErasureReport {
  readonly citizenId: string;
  readonly erasedAt: string;
  readonly deleted: number;
  readonly rewritten: number;
  /** Contacts the contact center was asked to delete the data of. */
  readonly contacts: number;
}

/**
 * Erases a citizen, on a request with its reference: the contact center is asked first to delete the data it
 * holds of each of their contacts (if it cannot, nothing here has changed yet); then every record is deleted
 * or rewritten (`planErasure`); last, an entry without personal data in the privacy log. Repeating it finishes
 * an erasure that stopped half way and changes nothing once done. The identity items go, so the phone no
 * longer finds them: their next call is a stranger's.
 */
export async function eraseCitizen(
  deps: {
    subjects: SubjectStore;
    erasure: ErasureStore;
    contactData: ContactDataEraser;
    privacy: PrivacyLog;
    clock: Clock;
    newId: () => string;
    /** A citizen under a legal hold, or with a case under one, is not erased. */
    holds?: HoldStore;
    /** What is done once the contact center has erased and before the records are (the request resolved). */
    beforeRewrite?: () => Promise<unknown>;
    /** Where the citizen's documents' files are: each is removed before its record. */
    files?: Pick<FileStore, 'remove'>;
  },
  citizenId: string,
  actor: Actor,
  reference: unknown,
): Promise<ErasureReport> {
  const ref = requestReference(reference);
  if (deps.holds) await refuseIfHeld(deps.holds, citizenId);
  const records = await deps.subjects.collect(citizenId);
  if (!records) throw new NotFoundError('citizen');
  const at = deps.clock.now().toISOString();
  const contacts = contactIdsOf(records);
  await deps.contactData.erase(contacts);
  let current = records;
  if (deps.beforeRewrite) {
    await deps.beforeRewrite();
    // Read again: what it changed is erased as it is now.
    current = (await deps.subjects.collect(citizenId)) ?? records;
  }
  const plan = planErasure(current, { at, reference: ref });
  // The files first: a run that stops half way still has their records, and the next one removes them.
  for (const r of current)
    if (r.kind === 'document' && typeof r.data.key === 'string') await deps.files?.remove(r.data.key);
  await deps.erasure.apply(plan);
  await deps.privacy.record({
    id: deps.newId(),
    at,
    actor,
    action: 'erasure',
    citizenId,
    reason: ref,
    records: records.length,
  });
  return {
    citizenId,
    erasedAt: at,
    deleted: plan.filter((s) => s.action === 'delete').length,
    rewritten: plan.filter((s) => s.action === 'put').length,
    contacts: contacts.length,
  };
}
