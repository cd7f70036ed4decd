import { DynamoContactDataLog } from '../../shared/adapters/dynamodb/outbox';
import type { ErasureReport } from '../../shared/domain/erasure';
import type { SubjectExport } from '../../shared/domain/subject-access';
import { apiOnFreshTables, type ApiCall } from '../support/api';
import { PERSONAL, PHONE, seedCitizen } from '../support/citizen-seed';
import { connectEvent } from '../support/connect';
import { scanAll } from '../support/consistency';
import { freshTables } from '../support/dynamo';

/** Monday 7 December 2026, 09:00 in Panamá. */
const clock = { now: () => new Date('2026-12-07T14:00:00.000Z') };

let api: ApiCall;
let tables: Awaited<ReturnType<typeof freshTables>>;

beforeAll(async () => {
  ({ tables, api } = await apiOnFreshTables(clock));
});

const everything = async () =>
  Promise.all(
    (['citizens', 'cases', 'metrics'] as const).map(async (store) => ({
      store,
      items: await scanAll(tables.doc, tables.names[store]),
    })),
  );

describe('erasure', () => {
  it('leaves none of a citizen’s names, document, phone or e-mail in any table; cases and audit stay; the phone is a stranger', async () => {
    // Contacts on three channels, a note, messages, a booking, a back-office export and a merge history.
    const seeded = await seedCitizen(tables, api, clock, { outbox: true });
    const before = await everything();
    const text = (tables: typeof before) => JSON.stringify(tables.map((t) => t.items));
    for (const value of PERSONAL) expect(text(before)).toContain(value);
    const audits = (tables: typeof before) =>
      tables
        .find((t) => t.store === 'cases')!
        .items.filter((i) => String(i.sk).startsWith('AUDIT#') || i.pk === 'ADMINAUDIT').length;
    const statuses = async (reason?: string) =>
      Promise.all(
        seeded.tickets.map(
          async (t) =>
            (await api(`/cases/${t}`, '[admin]', reason ? { query: { reason } } : {})).body.case
              .status as string,
        ),
      );
    const statusesBefore = await statuses();

    const erased = await api(`/citizens/${seeded.citizenId}/erasure`, '[admin]', {
      method: 'POST',
      user: 'admin-1',
      body: { reference: 'SOL-2026/0042' },
    });
    expect(erased.status).toBe(200);
    const report = erased.body as ErasureReport;
    expect(report.deleted).toBeGreaterThan(5);
    expect(report.rewritten).toBeGreaterThan(5);

    const after = await everything();
    for (const value of PERSONAL) expect(text(after)).not.toContain(value);
    // The cases, their history and the back office's records stay (what the law keeps), blocked.
    expect(audits(after)).toBe(audits(before));
    // Blocked: no one but an administrator reads them, with a reason the privacy log keeps; no one changes them.
    const ticket = seeded.tickets[1]!;
    expect((await api(`/cases/${ticket}`, '[agent]')).body).toMatchObject({ code: 'BLOCKED' });
    expect((await api(`/citizens/${seeded.citizenId}`, '[supervisor]')).body).toMatchObject({
      code: 'BLOCKED',
    });
    expect((await api(`/cases/${ticket}`, '[admin]')).body).toMatchObject({ field: 'reason' });
    const note = await api(`/cases/${ticket}/notes`, '[admin]', { method: 'POST', body: { text: 'x' } });
    expect(note.body).toMatchObject({ code: 'BLOCKED' });
    const moved = await api(`/cases/${seeded.tickets[0]}/transitions`, '[admin]', {
      method: 'POST',
      body: { to: 'CANCELLED', reason: 'x' },
      headers: { 'if-match': '"1"' },
    });
    expect(moved.body).toMatchObject({ code: 'BLOCKED' });
    const logged = (await api(`/citizens/${seeded.citizenId}/privacy-log`, '[admin]')).body.items;
    // The metrics, which hold nothing personal, are as they were.
    expect(after.find((t) => t.store === 'metrics')!.items).toEqual(
      before.find((t) => t.store === 'metrics')!.items,
    );
    // Connect is asked to delete the data of every contact: the three channels and the call that proved who
    // she was.
    const asked = (await new DynamoContactDataLog(tables.doc, tables.names.cases).list(100)).map(
      (e) => e.contactId,
    );
    expect([...asked].sort()).toEqual([...seeded.contactIds].sort());
    // The privacy log says who erased whom, when and on which request — nothing personal.
    expect(logged).toEqual([
      expect.objectContaining({
        action: 'erasure',
        actor: { id: 'admin-1', role: 'admin' },
        reason: 'SOL-2026/0042',
        at: clock.now().toISOString(),
      }),
    ]);
    expect(await statuses('Auditoría 2026-12')).toEqual(statusesBefore);
    const kept = (await api(`/cases/${ticket}`, '[admin]', { query: { reason: 'Auditoría 2026-12' } })).body
      .case;
    expect(kept).toMatchObject({ citizenId: seeded.citizenId, blocked: true, erasure: 'SOL-2026/0042' });
    expect(kept.answer).toBeUndefined();
    const reads = (await api(`/citizens/${seeded.citizenId}/privacy-log`, '[admin]')).body.items;
    expect(reads.filter((e: { action: string }) => e.action === 'blocked-read')).toHaveLength(
      seeded.tickets.length + 1,
    );
    // A new call from the same phone is a stranger's.
    const call = await seeded.lookup(connectEvent('voice-inbound-docs', { phone: PHONE }));
    expect(call).toMatchObject({ found: 'false' });

    // Done again: nothing more to delete or rewrite; and what is left is a profile without a person.
    const again = await api(`/citizens/${seeded.citizenId}/erasure`, '[admin]', {
      method: 'POST',
      body: { reference: 'SOL-2026/0042' },
    });
    expect(again.body).toMatchObject({ deleted: 0, rewritten: 0 });
    const left = (
      await api(`/citizens/${seeded.citizenId}/subject-access`, '[admin]', {
        method: 'POST',
        body: { reason: 'Comprobación de la supresión SOL-2026/0042' },
      })
    ).body as SubjectExport;
    expect(left.counts).not.toHaveProperty('identity');
    expect(left.counts).not.toHaveProperty('note');
    expect(
      left.records.find((r) => r.kind === 'profile' && r.data.id === seeded.citizenId)?.data,
    ).toMatchObject({
      identities: [],
      erasedAt: clock.now().toISOString(),
      erasure: 'SOL-2026/0042',
    });
  });

  it('asks for a reference that is not free text, and refuses staff who are not administrators', async () => {
    const refused = await api('/citizens/x/erasure', '[supervisor]', {
      method: 'POST',
      body: { reference: 'SOL-1' },
    });
    expect(refused.status).toBe(403);
    for (const reference of [
      undefined,
      '',
      'Borrar a Marisol Pitti, que lo pidió por teléfono el lunes pasado a las diez',
    ])
      expect(
        (await api('/citizens/x/erasure', '[admin]', { method: 'POST', body: { reference } })).body,
      ).toMatchObject({ code: 'INVALID_INPUT', field: 'reference' });
  });
});
