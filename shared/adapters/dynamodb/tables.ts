import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The table definitions, written once. The CDK data stack and the local/test runtime both build their
 * tables from these, so keys and indexes cannot drift apart. Access patterns: docs/access-patterns.md.
 */
export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}
export type TableId = 'citizens' | 'cases' | 'metrics';

/** The secondary indexes, by name: queries and grants take their names and keys from here. */
export const INDEXES = {
  /** Citizens by normalised surname. */
  bySurname: { name: 'bySurname', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** A citizen's cases, and merge links by citizen. */
  byCitizen: { name: 'byCitizen', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Cases by status and department. */
  byStatus: { name: 'byStatus', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /** Contacts waiting in a queue, oldest first. */
  byWaitingQueue: { name: 'byWaitingQueue', partitionKey: 'waitingQueue', sortKey: 'enqueuedAt' },
} as const satisfies Record<string, IndexSpec>;
export interface TableSpec {
  /** Logical name; physical names come from the deployment (CDK) or a prefix (local). */
  readonly id: TableId;
  readonly partitionKey: 'pk';
  readonly sortKey: 'sk';
  readonly indexes: readonly IndexSpec[];
  /** Epoch-seconds attribute after which DynamoDB deletes the item (data past retention). */
  readonly ttlAttribute?: string;
  /** Stream view for consumers of the table's changes. */
  readonly stream?: 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE';
}

export const CITIZENS_TABLE: TableSpec = {
  id: 'citizens',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [INDEXES.bySurname],
  ttlAttribute: 'expiresAt',
};

export const CASES_TABLE: TableSpec = {
  id: 'cases',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [INDEXES.byCitizen, INDEXES.byStatus],
  ttlAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
};

/** Interval counters, live queue membership, agent states, applied-event markers. See docs/access-patterns.md. */
export const METRICS_TABLE: TableSpec = {
  id: 'metrics',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [INDEXES.byWaitingQueue],
  ttlAttribute: 'expiresAt',
};

export const TABLES = [CITIZENS_TABLE, CASES_TABLE, METRICS_TABLE] as const;

/** The CreateTable request for a spec (on-demand billing, every key a string). */
export function createTableInput(spec: TableSpec, tableName: string): CreateTableCommandInput {
  const attributes = new Set<string>([spec.partitionKey, spec.sortKey]);
  for (const index of spec.indexes) attributes.add(index.partitionKey).add(index.sortKey);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: spec.partitionKey, KeyType: 'HASH' },
      { AttributeName: spec.sortKey, KeyType: 'RANGE' },
    ],
    ...(spec.indexes.length
      ? {
          GlobalSecondaryIndexes: spec.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        }
      : {}),
    ...(spec.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } } : {}),
  };
}
