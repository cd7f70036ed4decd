import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachConcurrently } from '../../domain/concurrency';
import type { HoldScope, HoldStore, LegalHold } from '../../domain/legal-hold';
import type { SubjectRecord } from '../../domain/subject-access';
import type { StoreTables } from './case-repository';
import { partitionRecords } from './pagination';

const PARTITION = 'LEGALHOLD';
const key = (scope: HoldScope, target: string) => ({ pk: PARTITION, sk: `${scope}#${target}` });

/**
 * Legal holds in the cases table, all in one partition (`LEGALHOLD`, `<scope>#<target>`): there are few, and
 * the daily sweep reads them all. A record a hold covers has its TTL attribute moved aside
 * (`heldExpiresAt`), which DynamoDB's TTL does not read, and moved back when the hold ends.
 */
export class DynamoHoldStore implements HoldStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: StoreTables,
  ) {}

  async place(hold: LegalHold): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tables.cases,
          Item: { ...key(hold.scope, hold.target), type: 'LEGALHOLD', ...hold },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(scope: HoldScope, target: string): Promise<LegalHold | undefined> {
    const { Attributes } = await this.doc.send(
      new DeleteCommand({ TableName: this.tables.cases, Key: key(scope, target), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes ? holdOf(Attributes) : undefined;
  }

  active(): Promise<readonly LegalHold[]> {
    return partitionRecords<LegalHold>(this.doc, this.tables.cases, PARTITION, true);
  }

  keep(records: readonly SubjectRecord[]): Promise<number> {
    return this.move(records, 'SET heldExpiresAt = expiresAt REMOVE expiresAt', 'expiresAt');
  }

  restore(records: readonly SubjectRecord[]): Promise<number> {
    return this.move(records, 'SET expiresAt = heldExpiresAt REMOVE heldExpiresAt', 'heldExpiresAt');
  }

  /** One update per record, only while it still has `from` (a record gone or moved already is left alone). */
  private async move(records: readonly SubjectRecord[], update: string, from: string): Promise<number> {
    let moved = 0;
    await forEachConcurrently(records, 8, async (record) => {
      const table = this.tables[record.store as keyof StoreTables];
      if (!table) throw new Error(`legal holds: no table for the ${record.store} store`);
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: table,
            Key: record.key,
            UpdateExpression: update,
            ConditionExpression: `attribute_exists(${from})`,
          }),
        );
        moved++;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    });
    return moved;
  }
}

function holdOf(item: Record<string, unknown>): LegalHold {
  const { pk: _pk, sk: _sk, type: _type, ...hold } = item;
  return hold as unknown as LegalHold;
}
