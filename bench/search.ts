import { DynamoCaseRepository } from '../shared/adapters/dynamodb/case-repository';
import { caseItem, auditItem } from '../shared/adapters/dynamodb/case-items';
import { DynamoCitizenRepository } from '../shared/adapters/dynamodb/citizen-repository';
import { identityItem, profileItem } from '../shared/adapters/dynamodb/citizen-items';
import { batchPut } from '../shared/adapters/dynamodb/batch';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { ensureTables, tableNames } from '../shared/adapters/dynamodb/setup';
import { openCase } from '../shared/domain/case';
import { newCitizen } from '../shared/domain/citizen';
import { emptySummary } from '../shared/domain/screen-pop';
import { documentIdentity, normalizeDocument, phoneIdentity, type Identity } from '../shared/domain/identity';
import { generateTicket, type Ticket } from '../shared/domain/ticket';
import { startDynamoLocal } from '../local/dynamodb-local';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { percentile, progress, report, round, sample } from './harness';
import { seededRandom } from '../shared/domain/random';

const SURNAMES = (
  'García González Rodríguez Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz ' +
  'Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez Serrano ' +
  'Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina Garrido ' +
  'Cortés Castillo Santos Lozano Guerrero Cano Prieto Méndez Cruz Calvo Gallego Vidal León Márquez Herrera ' +
  'Peña Flores Cabrera Campos Vega Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar Pascual Santana Herrero ' +
  'Lorenzo Montero Hidalgo Giménez Ibáñez Ferrer Durán Santiago Benítez Mora Vicente Vargas Arias Carmona ' +
  'Crespo Román Pastor Soto Sáez Velasco Moya Soler Parra Esteban Bravo Gallardo Rojas Batista Quintero Atencio'
).split(' ');
const GIVEN =
  'Ana Luis María José Carmen Juan Rosa Carlos Elena Pedro Lucía Jorge Sofía Diego Isabel Andrés'.split(' ');
const TOPICS = [
  ['property-tax', 'tax'],
  ['plate-renewal', 'vehicles'],
  ['birth-certificate', 'civil-registry'],
  ['complaint', 'general-information'],
] as const;

interface Seeded {
  phone: Identity;
  document: Identity;
  surname: string;
  ticket: Ticket;
}

/** Items for citizens [from, to): each with a phone, a document and one case with its audit event. */
function seedItems(from: number, to: number, random: () => number) {
  const citizens: Record<string, unknown>[] = [];
  const cases: Record<string, unknown>[] = [];
  const picks: Seeded[] = [];
  const at = '2026-11-24T14:00:00.000Z';
  for (let i = from; i < to; i++) {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const phone = phoneIdentity(`+5076${String(i).padStart(7, '0')}`, 'PA');
    const doc = normalizeDocument('CEDULA', `8-${Math.floor(i / 1000)}-${i % 1000}`);
    const surname = `${pick(SURNAMES)} ${pick(SURNAMES)}`;
    const citizen = newCitizen(
      { givenNames: pick(GIVEN), surnames: surname, document: doc, identities: [phone] },
      `c${i}`,
      at,
    );
    citizens.push(
      profileItem(citizen),
      ...citizen.identities.map((id) => identityItem(id, emptySummary(citizen), at)),
    );
    const [topicId, departmentId] = pick(TOPICS);
    const { case: c, audit } = openCase({
      ticket: generateTicket(random),
      citizenId: citizen.id,
      topicId,
      departmentId,
      channel: 'VOICE',
      dueAt: at,
      actor: { id: 'seed', role: 'system' },
      now: at,
    });
    cases.push(caseItem(c), auditItem(audit));
    picks.push({ phone, document: documentIdentity(doc), surname, ticket: c.ticket });
  }
  return { citizens, cases, picks };
}

export async function run(): Promise<void> {
  const dynamo = await startDynamoLocal();
  try {
    const doc = createDocumentClient({ endpoint: dynamo.endpoint, requestTimeoutMs: 10_000, maxAttempts: 5 });
    const names = tableNames('bench-');
    await ensureTables(doc as unknown as DynamoDBClient, names);
    const citizens = new DynamoCitizenRepository(doc, names.citizens);
    const cases = new DynamoCaseRepository(doc, names);
    const random = seededRandom(42);
    const picks: Seeded[] = [];

    const seed = async (from: number, to: number) => {
      const started = Date.now();
      const step = 10_000;
      for (let i = from; i < to; i += step) {
        const batch = seedItems(i, Math.min(to, i + step), random);
        await Promise.all([
          batchPut(doc, names.citizens, batch.citizens),
          batchPut(doc, names.cases, batch.cases),
        ]);
        picks.push(...batch.picks);
        progress(`seeded ${Math.min(to, i + step).toLocaleString('en')} citizens and cases`);
      }
      const items = (to - from) * 5;
      report({
        name: `seed.${to >= 100_000 ? '100k' : '1k'}.items_per_s`,
        value: Math.round(items / ((Date.now() - started) / 1000)),
        unit: 'items/s',
        items,
      });
    };

    const measure = async () => {
      const n = 300;
      const at = (i: number) => picks[Math.floor(seededRandom(i + 7)() * picks.length)]!;
      return {
        surname: percentile(await sample(n, (i) => citizens.bySurname(at(i).surname, { limit: 25 })), 50),
        document: percentile(await sample(n, (i) => citizens.byIdentity(at(i).document)), 50),
        phone: percentile(await sample(n, (i) => citizens.byIdentity(at(i).phone)), 50),
        ticket: percentile(await sample(n, (i) => cases.byTicket(at(i).ticket)), 50),
      };
    };

    await seed(0, 1_000);
    const small = await measure();
    await seed(1_000, 100_000);
    const large = await measure();

    const ratios: [string, keyof typeof small][] = [
      ['search.surname', 'surname'],
      ['search.document', 'document'],
      ['search.phone', 'phone'],
      ['case.by_ticket', 'ticket'],
    ];
    for (const [name, key] of ratios)
      report({
        name: `${name}.ratio_100k_1k`,
        value: round(large[key] / small[key]),
        unit: 'ratio',
        p50_1k_ms: round(small[key]),
        p50_100k_ms: round(large[key]),
        goal: '<= 1.5',
      });
    doc.destroy();
  } finally {
    await dynamo.stop();
  }
}
