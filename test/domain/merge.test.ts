import type { Case } from '../../shared/domain/case';
import { newCitizen } from '../../shared/domain/citizen';
import { MergeConflictError } from '../../shared/domain/errors';
import { phoneIdentity } from '../../shared/domain/identity';
import { MERGE_MAX_ITEMS, planMerge, type MergeSnapshot } from '../../shared/domain/merge';
import { emptySummary } from '../../shared/domain/screen-pop';

const NOW = '2026-11-24T10:00:00.000Z';
const input = {
  actor: { id: 's', role: 'supervisor' as const },
  reason: 'misma persona',
  now: NOW,
  id: 'm1',
};
const survivor = newCitizen(
  {
    givenNames: 'Marta',
    surnames: 'Soto',
    identities: [phoneIdentity('6300-0001', 'PA')],
    consents: { sms: true },
  },
  'a',
  NOW,
);
const duplicate = newCitizen(
  {
    identities: [phoneIdentity('6300-0002', 'PA')],
    document: { type: 'CEDULA', number: '83001' },
    consents: { sms: false, whatsapp: true },
  },
  'b',
  NOW,
);
const aCase = (n: number, status: Case['status'], topicId = `t${n}`): Case => ({
  ticket: `${1000000000 + n}` as Case['ticket'],
  citizenId: 'b',
  topicId,
  departmentId: 'tax',
  status,
  channel: 'SMS',
  createdAt: NOW,
  updatedAt: NOW,
  dueAt: NOW,
  version: 1,
});
const snapshot = (cases: Case[] = []): MergeSnapshot => ({
  survivor,
  duplicate,
  duplicateCases: cases,
  summaries: [survivor, duplicate].flatMap((c) =>
    c.identities.map((identity) => ({ identity, summary: emptySummary(c), rev: 0 })),
  ),
});

describe('planMerge', () => {
  it("joins identities and fills only what the survivor lacks; the survivor's consents win", () => {
    const plan = planMerge(snapshot([aCase(1, 'OPEN')]), input);
    expect(plan.citizen).toMatchObject({
      id: 'a',
      givenNames: 'Marta',
      document: { type: 'CEDULA', number: '83001' },
      consents: { sms: true, whatsapp: true },
      mergedFrom: ['b'],
      version: 2,
    });
    expect(plan.citizen.identities.map((i) => i.value)).toEqual([
      '+50763000001',
      '+50763000002',
      'CEDULA#83001',
    ]);
    expect(plan.tombstone).toMatchObject({ id: 'b', identities: [], mergedInto: 'a', version: 2 });
    expect(plan.summary).toMatchObject({ citizenId: 'a', firstName: 'Marta' });
    expect(plan.summary.identities).toEqual(plan.citizen.identities);
  });

  it('refuses itself, a merged citizen, and a merge too large for one write', () => {
    expect(() => planMerge({ ...snapshot(), duplicate: survivor }, input)).toThrow(MergeConflictError);
    expect(() => planMerge({ ...snapshot(), survivor: { ...survivor, mergedInto: 'z' } }, input)).toThrow(
      /merged already/,
    );
    // Open cases cost 3 items each (the case and its topic guard moved), closed ones 1.
    const open = Array.from({ length: Math.floor((MERGE_MAX_ITEMS - 5) / 3) }, (_, i) => aCase(i, 'OPEN'));
    expect(() => planMerge(snapshot(open), input)).not.toThrow();
    expect(() => planMerge(snapshot([...open, aCase(999, 'OPEN')]), input)).toThrow(/more than 100/);
  });
});
