import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchPut } from '../../shared/adapters/dynamodb/batch';
import { auditItem, caseItem } from '../../shared/adapters/dynamodb/case-items';
import { identityItem, profileItem } from '../../shared/adapters/dynamodb/citizen-items';
import { openCase, type Case } from '../../shared/domain/case';
import { newCitizen } from '../../shared/domain/citizen';
import { normalizeDocument, phoneIdentity } from '../../shared/domain/identity';
import { seededRandom } from '../../shared/domain/random';
import { emptySummary, openCaseEntry } from '../../shared/domain/screen-pop';
import { generateTicket } from '../../shared/domain/ticket';

const GIVEN = 'Ana Luis María José Carmen Juan Rosa Carlos Elena Pedro Lucía Jorge'.split(' ');
const SURNAMES = 'Pérez Núñez Castillo Quintero Atencio Batista Rodríguez González Vargas Ríos'.split(' ');

/**
 * OPEN cases of one department for bulk tests and benchmarks, each with its own citizen (a phone and a
 * document, so two screen-pop summaries showing the case), written with plain batch puts.
 */
export async function seedOpenCases(
  doc: DynamoDBDocumentClient,
  tables: { cases: string; citizens: string },
  options: { count: number; departmentId: string; topicId: string; seed?: number; from?: number },
  onProgress?: (done: number) => void,
): Promise<Case[]> {
  const random = seededRandom(options.seed ?? 1);
  const out: Case[] = [];
  const tickets = new Set<string>();
  const ticket = () => {
    for (;;) {
      const t = generateTicket(random);
      if (!tickets.has(t)) return (tickets.add(t), t);
    }
  };
  const at = '2026-11-23T14:00:00.000Z';
  const step = 5000;
  for (let start = 0; start < options.count; start += step) {
    const citizens: Record<string, unknown>[] = [];
    const cases: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(options.count, start + step); i++) {
      const n = (options.from ?? 0) + i;
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
      const citizen = newCitizen(
        {
          givenNames: pick(GIVEN),
          surnames: `${pick(SURNAMES)} ${pick(SURNAMES)}`,
          document: normalizeDocument('CEDULA', `9-${n}`),
          identities: [phoneIdentity(`+5077${String(n).padStart(7, '0')}`, 'PA')],
        },
        `bo-${options.departmentId}-${n}`,
        at,
      );
      const { case: c, audit } = openCase({
        ticket: ticket(),
        citizenId: citizen.id,
        topicId: options.topicId,
        departmentId: options.departmentId,
        channel: 'VOICE',
        request: `Solicitud ${n}, con "comillas", y comas`,
        dueAt: at,
        actor: { id: 'seed', role: 'system' },
        now: at,
      });
      const summary = { ...emptySummary(citizen), openCases: { [c.ticket]: openCaseEntry(c) } };
      citizens.push(profileItem(citizen), ...citizen.identities.map((id) => identityItem(id, summary, at)));
      cases.push(caseItem(c), auditItem(audit));
      out.push(c);
    }
    await Promise.all([batchPut(doc, tables.citizens, citizens, 4), batchPut(doc, tables.cases, cases, 4)]);
    onProgress?.(out.length);
  }
  return out;
}
