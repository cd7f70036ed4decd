import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseDocument, DocumentStore } from '../../domain/documents';
import { ttlOf } from '../../domain/retention';
import { partitionRecords } from './pagination';
import { putAtVersion } from './versioned-put';

const keyOf = (ticket: string, kind: string) => ({ pk: `DOCS#${ticket}`, sk: `DOC#${kind}` });

/**
 * A case's documents in the cases table (`DOCS#<ticket>`, one item per document of the procedure), each
 * ending with the schedule's `document` term from its first upload (TTL), as its file does in the bucket.
 */
export class DynamoDocumentStore implements DocumentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly keepDays: number,
  ) {}

  async get(ticket: string, kind: string): Promise<CaseDocument | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keyOf(ticket, kind), ConsistentRead: true }),
    );
    return Item ? strip(Item) : undefined;
  }

  async list(ticket: string): Promise<CaseDocument[]> {
    return (
      await partitionRecords<Record<string, unknown>>(this.doc, this.table, `DOCS#${ticket}`, true)
    ).map(strip);
  }

  save(document: CaseDocument, readVersion: number | undefined): Promise<boolean> {
    return putAtVersion(
      this.doc,
      this.table,
      {
        ...keyOf(document.ticket, document.kind),
        type: 'DOCUMENT',
        ...document,
        expiresAt: ttlOf(document.createdAt, this.keepDays),
      },
      readVersion,
    );
  }
}

function strip(item: Record<string, unknown>): CaseDocument {
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...rest } = item;
  return rest as unknown as CaseDocument;
}
