import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { SubjectKind, SubjectRecord, SubjectStore } from '../../domain/subject-access';
import { batchGet } from './batch';
import { queryPages } from './pagination';
import type { StoreTables } from './case-repository';
import { caseKeys } from './case-items';
import { citizenKeys } from './citizen-items';
import { consentKey } from './messaging-consent';
import { appointmentKeys } from './appointment-store';
import { INDEXES } from './tables';
import { batchKeys } from './backoffice-store';
import { batchDepartment } from '../../domain/backoffice';
import { subjectPartition } from './verification-store';

type Item = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The kind of an item of each table by the start of its key (`pk` and, within a partition, `sk`); first match. */
const KINDS: Record<string, readonly (readonly [pk: string, sk: string, kind: SubjectKind])[]> = {
  citizens: [
    ['CIT#', 'CONTACT#', 'contact'],
    ['CIT#', 'MERGE#', 'merge'],
    ['CIT#', 'LINK#', 'link'],
    ['CIT#', '', 'profile'],
    ['ID#', '', 'identity'],
    ['CONTACTID#', '', 'contact'],
    ['MESSAGE#', '', 'message'],
    ['CONSENT#', '', 'consent'],
    ['CALLBACK', '', 'callback'],
    ['VERIFYFAIL#', '', 'verification'],
    ['VERIFIED#', '', 'verification'],
    ['QUOTA#', '', 'message-count'],
    ['ACCESS', '', 'sign-in'],
  ],
  cases: [
    ['CASE#', 'AUDIT#', 'audit'],
    ['CASE#', 'NOTE#', 'note'],
    ['CASE#', 'CONTACT#', 'case-contact'],
    ['CASE#', '', 'case'],
    ['OPENTOPIC#', '', 'open-topic'],
    ['INTAKE#', '', 'intake'],
    ['BOOKING#', '', 'booking'],
    ['APPTACTIVE#', '', 'booking-guard'],
    ['BOOKINGCODE#', '', 'booking-code'],
    ['WAIT#', '', 'waiter'],
    ['RECTIFY#', '', 'rectification'],
    ['DOCS#', '', 'document'],
    ['PAYMENT#', '', 'payment'],
    ['OUTBOX', '', 'sent'],
    ['TASKS', '', 'task'],
    ['PRIVACY#', '', 'privacy'],
    ['READ#', '', 'read'],
    ['BATCH#', '', 'batch'],
  ],
};

function kindOf(store: string, pk: string, sk: string): SubjectKind {
  const found = KINDS[store]!.find(([p, s]) => pk.startsWith(p) && sk.startsWith(s));
  // The collector adds only items it looked for by key: an unknown one is a bug here, not data to guess at.
  if (!found) throw new Error(`subject store: no kind for a ${store} item`);
  return found[2];
}

/**
 * Everything the citizens and cases tables hold about a citizen, found from the citizen alone — no scan: their
 * partition (profile, timeline, merges, links) and those of the citizens merged into them; the identity items
 * of every identity they have or had; per phone, its consent, callback, verification failures and message
 * counts; per contact, its guard, proof, intake and callback pointer; the items keyed otherwise that name them
 * on the index (`SUBJECT#<citizenId>`: a contact's proof of identity); per case (the `byCitizen` index), its
 * partition (case, audit, contacts, notes), open-topic guard and the back-office batch records carrying it;
 * per booking, its guard and code; their waitlist entries (`WAITER#<citizenId>` on the index); the texts of the messages sent about them while kept; the staff reads of
 * their records and their privacy log; and, where they exist (locally), the outbox entries to their numbers
 * and the follow-up tasks on their cases.
 */
export class DynamoSubjectStore implements SubjectStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: StoreTables,
  ) {}

  async collect(citizenId: string): Promise<readonly SubjectRecord[] | undefined> {
    const { citizens, cases } = this.tables;
    const own = await this.partition(citizens, `CIT#${citizenId}`);
    if (!own.some((i) => i.sk === 'PROFILE')) return undefined;
    const out = new Map<string, SubjectRecord>();
    const add = (store: string, item: Item) => {
      const pk = String(item.pk);
      const sk = String(item.sk);
      const kind = kindOf(store, pk, sk);
      out.set(`${store}|${pk}|${sk}`, { kind, store, key: { pk, sk }, data: item });
    };
    own.forEach((i) => add('citizens', i));
    // Citizens merged into this one: their partitions (a profile that points here, its timeline).
    const merged = own.flatMap((i) =>
      i.type === 'MERGE' && str(i.duplicateId) ? [String(i.duplicateId)] : [],
    );
    const citizenIds = [citizenId, ...merged];
    for (const id of merged) (await this.partition(citizens, `CIT#${id}`)).forEach((i) => add('citizens', i));

    const citizenItems = [...out.values()].map((r) => r.data);
    // Every identity the citizen has or had (on the profiles, merges and links).
    const identities = new Map<string, { kind: string; value: string }>();
    for (const item of citizenItems)
      for (const identity of (item.identities as { kind: string; value: string }[] | undefined) ?? [])
        identities.set(`${identity.kind}#${identity.value}`, identity);
    const phones = [...identities.values()].filter((i) => i.kind === 'PHONE').map((i) => i.value);
    const contacts = citizenItems.filter((i) => str(i.contactId));
    const contactIds = new Set(contacts.map((i) => String(i.contactId)));
    const initialIds = new Set(contacts.map((i) => str(i.initialContactId) ?? String(i.contactId)));

    // The cases and bookings on the citizens' index, then each case's partition.
    const indexed = (
      await Promise.all(
        citizenIds.flatMap((id) =>
          [
            caseKeys.citizenPartition(id),
            appointmentKeys.citizenPartition(id),
            appointmentKeys.waiterPartition(id),
          ].map((partition) =>
            this.query({
              TableName: cases,
              IndexName: INDEXES.byCitizen.name,
              KeyConditionExpression: 'gsi1pk = :p',
              ExpressionAttributeValues: { ':p': partition },
            }),
          ),
        ),
      )
    ).flat();
    const tickets = new Set(
      indexed.flatMap((i) => (String(i.pk).startsWith('CASE#') ? [String(i.ticket)] : [])),
    );
    const bookings = indexed.filter((i) => String(i.pk).startsWith('BOOKING#'));
    for (const ticket of tickets)
      (await this.partition(cases, `CASE#${ticket}`)).forEach((i) => add('cases', i));
    bookings.forEach((b) => add('cases', b));
    // Each case's documents, and each booking's fee.
    for (const ticket of tickets)
      (await this.partition(cases, `DOCS#${ticket}`)).forEach((i) => add('cases', i));
    for (const b of bookings)
      (await this.partition(cases, `PAYMENT#pay-${String(b.id)}`)).forEach((i) => add('cases', i));
    indexed.filter((i) => String(i.pk).startsWith('WAIT#')).forEach((w) => add('cases', w));
    const caseItems = [...out.values()].filter((r) => r.store === 'cases').map((r) => r.data);
    for (const c of caseItems) {
      if (str(c.contactId)) contactIds.add(String(c.contactId));
      if (str(c.initialContactId)) initialIds.add(String(c.initialContactId));
    }

    // Keyed items that hang off what was found.
    const caseRecords = caseItems.filter((i) => i.sk === 'CASE');
    const messageIds = [
      ...caseRecords.flatMap((c) => [
        ...Array.from({ length: Number(c.version ?? 0) }, (_, v) => `${String(c.ticket)}#${v + 1}`),
        `${String(c.ticket)}#link`,
        ...caseItems
          .filter((i) => i.pk === c.pk && str(i.contactId))
          .map((i) => `${String(c.ticket)}#link#${String(i.contactId)}`),
      ]),
      ...bookings.flatMap((b) =>
        Array.from({ length: Number(b.version ?? 0) }, (_, v) => `appt-${String(b.id)}-v${v + 1}`),
      ),
    ];
    const citizenKeysToGet = [
      ...[...identities.values()].map((i) => citizenKeys.identity(i as never)),
      ...phones.flatMap((p) => [consentKey(p), { pk: `CALLBACK#${p}`, sk: 'CALLBACK' }]),
      ...[...contactIds].flatMap((id) => [
        citizenKeys.contactGuard(id),
        { pk: `VERIFIED#${id}`, sk: 'VERIFIED' },
        { pk: `CALLBACKOF#${id}`, sk: 'CALLBACKOF' },
      ]),
      ...messageIds.map((id) => ({ pk: `MESSAGE#${id}`, sk: 'TEXT' })),
    ];
    const casesKeysToGet = [
      ...[...initialIds].map((id) => caseKeys.intake(id)),
      ...caseRecords.flatMap((c) => citizenIds.map((id) => caseKeys.openTopic(id, String(c.topicId)))),
      ...bookings.flatMap((b) => [
        ...citizenIds.map((id) =>
          appointmentKeys.active(id, String((b.slot as Item | undefined)?.topicId ?? '')),
        ),
        ...(str(b.code) ? [appointmentKeys.code(String(b.code))] : []),
      ]),
    ];
    const [fromCitizens, fromCases] = await Promise.all([
      batchGet(this.doc, citizens, dedupe(citizenKeysToGet), (i) => i, true),
      batchGet(this.doc, cases, dedupe(casesKeysToGet), (i) => i, true),
    ]);
    // A guard or pointer now owned by someone else (another citizen's open case on the topic) is not theirs.
    fromCitizens.filter((i) => belongs(i, citizenIds, tickets)).forEach((i) => add('citizens', i));
    fromCases.filter((i) => belongs(i, citizenIds, tickets)).forEach((i) => add('cases', i));

    // Items keyed otherwise that name the citizen on the index (a contact's proof of identity).
    for (const id of citizenIds)
      (
        await this.query({
          TableName: citizens,
          IndexName: INDEXES.bySurname.name,
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': subjectPartition(id) },
        })
      ).forEach((i) => add('citizens', i));
    // Back-office batches that carried their cases: the records holding their rows or audit events (shared
    // with other citizens' cases: the domain takes only theirs).
    const batchIds = new Set(
      caseItems.flatMap((i) => [str(i.lastBatch), str(i.batchId)].filter((b): b is string => !!b)),
    );
    for (const batchId of batchIds) {
      const batch = await this.partition(cases, `BATCH#${batchId}`);
      const theirs = batch.filter((i) =>
        [...((i.rows as Item[] | undefined) ?? []), ...((i.audits as Item[] | undefined) ?? [])].some((r) =>
          tickets.has(String(r.ticket)),
        ),
      );
      // Each record, and the marker that says its audit events were written out.
      const marked = new Set(theirs.map((i) => `DONE#${String(i.sk)}`));
      [...theirs, ...batch.filter((i) => marked.has(String(i.sk)))].forEach((i) => add('cases', i));
    }
    // A correction of their data still to be sent to a department that received it.
    const departments = new Set(
      [...batchIds].flatMap((b) => {
        const batch = batchDepartment(b);
        return batch ? [batch.department] : [];
      }),
    );
    const notices = [...departments].flatMap((d) => citizenIds.map((id) => batchKeys.rectification(d, id)));
    (await batchGet(this.doc, cases, notices, (i) => i, true)).forEach((i) => add('cases', i));
    // Per phone: failed verifications and message counts (one item a day each, kept two days),
    // and the citizen's page's sign-in by the number (codes asked, wrong codes, a code, a lock).
    for (const phone of phones)
      for (const prefix of [
        'VERIFYFAIL#',
        'QUOTA#',
        'ACCESS#CODEFOR#',
        'ACCESS#WRONGCODE#',
        'ACCESSCODE#',
        'ACCESSLOCK#',
      ])
        (await this.partition(citizens, `${prefix}${phone}`)).forEach((i) => add('citizens', i));
    // The privacy log of the citizen and the staff reads of their records; what left or would have left
    // (locally) about them.
    for (const id of citizenIds) (await this.partition(cases, `READ#${id}`)).forEach((i) => add('cases', i));
    for (const id of citizenIds)
      (await this.partition(cases, `PRIVACY#${id}`)).forEach((i) => add('cases', i));
    const sent = await this.partition(cases, 'OUTBOX');
    sent.filter((i) => phones.includes(String(i.to))).forEach((i) => add('cases', i));
    const handed = await this.partition(cases, 'TASKS');
    handed.filter((i) => tickets.has(String(i.ticket))).forEach((i) => add('cases', i));
    return [...out.values()];
  }

  /** Every item of a partition. */
  private partition(table: string, pk: string): Promise<Item[]> {
    return this.query({
      TableName: table,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': pk },
    });
  }

  /** Every item a query finds, all pages. */
  private async query(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    for await (const page of queryPages(this.doc, input, (i) => i)) items.push(...page);
    return items;
  }
}

function dedupe(keys: readonly Record<string, string>[]) {
  const seen = new Map<string, Record<string, string>>();
  for (const k of keys) seen.set(`${k.pk}|${k.sk}`, k);
  return [...seen.values()];
}

/** A keyed item found through the citizen is theirs unless it names another citizen or case. */
function belongs(item: Item, citizenIds: readonly string[], tickets: ReadonlySet<string>): boolean {
  const owner = str(item.citizenId);
  if (owner && !citizenIds.includes(owner)) return false;
  const ticket = str(item.ticket);
  if (ticket && String(item.pk).startsWith('OPENTOPIC#') && !tickets.has(ticket)) return false;
  return true;
}
