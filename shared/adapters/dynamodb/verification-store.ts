import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Identity } from '../../domain/identity';
import type { VerificationStore } from '../../domain/verification';

const DAY_S = 86_400;
const failureKey = (phone: Identity, day: string) => ({ pk: `VERIFYFAIL#${phone.value}`, sk: `DAY#${day}` });
/** The index partition of a citizen's items that are keyed by something else (a contact's proof). */
export const subjectPartition = (citizenId: string) => `SUBJECT#${citizenId}`;
const verifiedKey = (contactId: string) => ({ pk: `VERIFIED#${contactId}`, sk: 'VERIFIED' });

/**
 * Caller verification in the citizens table: a number's failed attempts of a day (`VERIFYFAIL#<number>`,
 * `DAY#<date>`, removed by TTL two days later) and a contact's proof (`VERIFIED#<contactId>`, a day).
 * Only reads and updates: the Connect function that verifies may not put or delete anything.
 */
export class DynamoVerificationStore implements VerificationStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async failures(phone: Identity, day: string): Promise<number> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: failureKey(phone, day), ConsistentRead: true }),
    );
    return Number(Item?.failures ?? 0);
  }

  async countFailure(phone: Identity, day: string): Promise<number> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: failureKey(phone, day),
        UpdateExpression: 'ADD failures :one SET expiresAt = :expires',
        ExpressionAttributeValues: {
          ':one': 1,
          ':expires': Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + 3 * DAY_S,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.failures ?? 1);
  }

  async markVerified(contactId: string, citizenId: string, at: Date): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: verifiedKey(contactId),
        // Found from the citizen too (a subject access, an erasure): on the index, under the citizen.
        UpdateExpression:
          'SET citizenId = :c, verifiedAt = :at, expiresAt = :expires, gsi1pk = :subject, gsi1sk = :what',
        ExpressionAttributeValues: {
          ':c': citizenId,
          ':subject': subjectPartition(citizenId),
          ':what': `VERIFIED#${contactId}`,
          ':at': at.toISOString(),
          ':expires': Math.floor(at.getTime() / 1000) + DAY_S,
        },
      }),
    );
  }

  async verifiedCitizen(contactId: string): Promise<string | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: verifiedKey(contactId), ConsistentRead: true }),
    );
    // TTL removes an expired proof late: the expiry is checked here too.
    if (!Item || Number(Item.expiresAt) * 1000 < this.now().getTime()) return undefined;
    return String(Item.citizenId);
  }
}
