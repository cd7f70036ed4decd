import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseRepository } from '../shared/adapters/dynamodb/case-repository';
import { DynamoCitizenRepository } from '../shared/adapters/dynamodb/citizen-repository';
import type { TableId } from '../shared/adapters/dynamodb/tables';
import type { LoadedConfig } from '../shared/config/load';
import { newCitizen } from '../shared/domain/citizen';
import { IdentityTakenError } from '../shared/domain/errors';
import { emailIdentity, normalizeDocument, phoneIdentity } from '../shared/domain/identity';
import { openCaseOnTopic } from '../shared/domain/use-cases';
import { randomUUID } from 'node:crypto';

/** Fictional citizens for the demo; numbers are in Panama's 6xxx-xxxx mobile range. */
const DEMO = [
  {
    givenNames: 'Ana María',
    surnames: 'Pérez Núñez',
    phone: '6000-1234',
    document: '8-123-456',
    topic: 'property-tax',
  },
  {
    givenNames: 'Luis',
    surnames: 'Castillo Ortega',
    phone: '6000-2345',
    document: '4-567-890',
    topic: 'plate-renewal',
  },
  {
    givenNames: 'Carmen',
    surnames: 'Quintero',
    phone: '6000-3456',
    document: '8-765-4321',
    topic: 'record-correction',
  },
  {
    givenNames: 'Jorge',
    surnames: 'Atencio Batista',
    phone: '6000-4567',
    email: 'jorge.atencio@example.org',
    topic: 'complaint',
  },
] as const;

/** Seeds the demo citizens with one open case each; a second run finds them and adds nothing. */
export async function seedDemo(
  doc: DynamoDBDocumentClient,
  names: Record<TableId, string>,
  config: LoadedConfig,
): Promise<{ citizens: number; cases: number }> {
  const citizens = new DynamoCitizenRepository(doc, names.citizens, {
    retentionDays: config.deployment.retention.contact.days,
  });
  const deps = {
    citizens,
    cases: new DynamoCaseRepository(doc, names),
    clock: { now: () => new Date() },
    random: Math.random,
    newId: randomUUID,
    calendar: config.calendar,
    catalogue: config.catalogue,
  };
  const country = config.deployment.country;
  let created = 0;
  for (const demo of DEMO) {
    const identities = [
      phoneIdentity(demo.phone, country),
      ...('email' in demo ? [emailIdentity(demo.email)] : []),
    ];
    const citizen = newCitizen(
      {
        givenNames: demo.givenNames,
        surnames: demo.surnames,
        identities,
        ...('document' in demo
          ? { document: normalizeDocument(config.deployment.defaultDocumentType, demo.document) }
          : {}),
        consents: { sms: true, whatsapp: true },
      },
      deps.newId(),
      new Date().toISOString(),
    );
    try {
      await citizens.create(citizen);
    } catch (error) {
      if (error instanceof IdentityTakenError) continue;
      throw error;
    }
    await openCaseOnTopic(deps, {
      citizenId: citizen.id,
      topicId: demo.topic,
      channel: 'VOICE',
      actor: { id: 'demo', role: 'system' },
    });
    created++;
  }
  return { citizens: created, cases: created };
}
