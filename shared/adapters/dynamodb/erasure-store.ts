import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachConcurrently } from '../../domain/concurrency';
import type { ErasureStep, ErasureStore } from '../../domain/erasure';
import type { StoreTables } from './case-repository';

/**
 * An erasure's steps on the citizens and cases tables, eight at a time: a delete (nothing to delete is fine),
 * or a rewrite in place that only replaces an item still there (an item gone meanwhile stays gone).
 */
export class DynamoErasureStore implements ErasureStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: StoreTables,
  ) {}

  async apply(steps: readonly ErasureStep[]): Promise<void> {
    await forEachConcurrently(steps, 8, async (step) => {
      const TableName = step.store === 'citizens' ? this.tables.citizens : this.tables.cases;
      if (step.action === 'delete') {
        await this.doc.send(new DeleteCommand({ TableName, Key: step.key }));
        return;
      }
      try {
        await this.doc.send(
          new PutCommand({ TableName, Item: step.item, ConditionExpression: 'attribute_exists(pk)' }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    });
  }
}
