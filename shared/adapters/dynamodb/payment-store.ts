import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PaymentRequest, PaymentStore } from '../../domain/payments';
import { ttlOf } from '../../domain/retention';
import { INDEXES } from './tables';
import { putAtVersion } from './versioned-put';

const OPEN = new Set(['CREATED', 'SENT', 'FAILED']);
const OPEN_PARTITION = 'PAYMENTS#OPEN';

/**
 * Payment requests in the cases table (`PAYMENT#<id>`), kept for their case's term. A request not settled yet
 * is also on the status index (`PAYMENTS#OPEN`, by expiry) for the nightly reconciliation; settling takes it
 * off, in the same write.
 */
export class DynamoPaymentStore implements PaymentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly keepDays: number,
  ) {}

  async get(id: string): Promise<PaymentRequest | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `PAYMENT#${id}`, sk: 'PAYMENT' },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, type: _type, gsi2pk: _g, gsi2sk: _s, expiresAt: _e, ...request } = Item;
    return request as unknown as PaymentRequest;
  }

  save(request: PaymentRequest, readVersion: number | undefined): Promise<boolean> {
    return putAtVersion(
      this.doc,
      this.table,
      {
        pk: `PAYMENT#${request.id}`,
        sk: 'PAYMENT',
        type: 'PAYMENT',
        ...request,
        ...(OPEN.has(request.status)
          ? { gsi2pk: OPEN_PARTITION, gsi2sk: `${request.expiresAt}#${request.id}` }
          : {}),
        expiresAt: ttlOf(request.createdAt, this.keepDays),
      },
      readVersion,
    );
  }

  async open(limit: number): Promise<PaymentRequest[]> {
    const { Items = [] } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INDEXES.byStatus.name,
        KeyConditionExpression: 'gsi2pk = :p',
        ExpressionAttributeValues: { ':p': OPEN_PARTITION },
        Limit: limit,
      }),
    );
    return Items.map(
      ({ pk: _pk, sk: _sk, type: _type, gsi2pk: _g, gsi2sk: _s, expiresAt: _e, ...r }) =>
        r as unknown as PaymentRequest,
    );
  }
}
