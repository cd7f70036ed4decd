import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrentChangeError } from '../../domain/errors';
import type { SurgeStore, SurgeSwitch } from '../../domain/surge';

/**
 * Surge switches in the metrics table (nothing personal): one item a department (`SURGE`, `<department>` or
 * `*`), read in one query by every call's lookup; each change of state with its audit entry
 * (`SURGELOG`, `<time>#<department>`) in one transaction.
 */
export class DynamoSurgeStore implements SurgeStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async board(): Promise<SurgeSwitch[]> {
    const { Items = [] } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SURGE' },
      }),
    );
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
