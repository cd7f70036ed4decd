import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentChangeError } from '../../domain/errors';
import { ALL_DEPARTMENTS, type SurgeStore, type SurgeSwitch } from '../../domain/surge';

/**
 * Surge switches in the metrics table (nothing personal): one item a department (`SURGE`, `<department>` or
 * `*`), read in one BatchGetItem of the deployment's departments by every call's lookup; each change of state
 * with its audit entry (`SURGELOG`, `<time>#<department>#<version>`) in one transaction.
 */
export class DynamoSurgeStore implements SurgeStore {
  private readonly scopes: readonly string[];
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    departments: readonly string[],
  ) {
    this.scopes = [ALL_DEPARTMENTS, ...departments];
  }

  async board(): Promise<SurgeSwitch[]> {
    const Items: Record<string, unknown>[] = [];
    let keys: Record<string, unknown>[] = this.scopes.map((scope) => ({ pk: 'SURGE', sk: scope }));
    // Unprocessed keys are asked again (DynamoDB may return part of a batch under load).
    for (let attempt = 0; keys.length && attempt < 5; attempt++) {
      const { Responses, UnprocessedKeys } = await this.doc.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }),
      );
      Items.push(...(Responses?.[this.table] ?? []));
      keys = (UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
    }
    if (keys.length) throw new Error('the surge switches could not be read');
    return Items.map((i) => ({
      scope: String(i.sk),
      on: Boolean(i.on),
      since: String(i.since ?? ''),
      reason: String(i.reason ?? ''),
      by: String(i.by ?? ''),
      ...(i.overSince ? { overSince: String(i.overSince) } : {}),
      ...(i.underSince ? { underSince: String(i.underSince) } : {}),
      version: Number(i.version ?? 0),
    }));
  }

  /** The switch changes from `from` to before `to` (ISO instants; the audit), oldest first. */
  async log(from: string, to: string): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': 'SURGELOG', ':from': from, ':to': to },
      }),
    );
    return Items.map(({ pk: _pk, sk: _sk, ...entry }) => entry);
  }

  async put(next: SurgeSwitch, audited: boolean): Promise<void> {
    const { version, ...fields } = next;
    // A change of state is audited at its own time: the switch's `since`.
    const at = next.since;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { pk: 'SURGE', sk: next.scope, ...fields, version: version + 1 },
                ConditionExpression: version ? 'version = :v' : 'attribute_not_exists(pk)',
                ...(version ? { ExpressionAttributeValues: { ':v': version } } : {}),
              },
            },
            ...(audited
              ? [
                  {
                    Put: {
                      TableName: this.table,
                      Item: {
                        pk: 'SURGELOG',
                        sk: `${at}#${next.scope}#${version + 1}`,
                        department: next.scope,
                        on: next.on,
                        reason: next.reason,
                        by: next.by,
                        at,
                      },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new ConcurrentChangeError('the surge switch');
      throw error;
    }
  }
}
