import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Citizen } from '../../domain/citizen';
import type { ContactRecord, WrapUp } from '../../domain/contact';
import { IdentityTakenError, ValidationError } from '../../domain/errors';
import type { Identity } from '../../domain/identity';
import type { CitizenRepository, ContactPlace, Page, PageRequest } from '../../domain/ports';
import { normalizeName } from '../../domain/text';
import { emptySummary } from '../../domain/screen-pop';
import {
  citizenFromItem,
  citizenKeys,
  contactFromItem,
  contactItem,
  identityItem,
  profileItem,
} from './citizen-items';
import { decodeCursor, encodeCursor, pageLimit } from './pagination';
import { TransactionCancelled, transactWrite } from './transact';
import { INDEXES } from './tables';

export interface CitizenRepositoryOptions {
  /** Days a timeline entry is kept before TTL removes it; unset keeps it. */
  readonly retentionDays?: number;
}

export class DynamoCitizenRepository implements CitizenRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: CitizenRepositoryOptions = {},
  ) {}

  async create(citizen: Citizen): Promise<Citizen> {
    const absent = 'attribute_not_exists(pk)';
    try {
      await transactWrite(this.doc, [
        { Put: { TableName: this.table, Item: profileItem(citizen), ConditionExpression: absent } },
        ...citizen.identities.map((identity) => ({
          Put: {
            TableName: this.table,
            Item: identityItem(identity, emptySummary(citizen), citizen.createdAt),
            ConditionExpression: absent,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
          },
        })),
      ]);
      return citizen;
    } catch (error) {
      if (!(error instanceof TransactionCancelled)) throw error;
      const failed = error.failedCondition();
      if (failed === 0) throw new ValidationError('id', 'a citizen with this id already exists');
      if (failed > 0) {
        const identity = citizen.identities[failed - 1]!;
        const owner =
          (error.reasons[failed]?.item?.citizenId as string | undefined) ?? (await this.ownerOf(identity));
        throw new IdentityTakenError(identity.kind, owner ?? 'unknown');
      }
      throw error;
    }
  }

  private async ownerOf(identity: Identity): Promise<string | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: citizenKeys.identity(identity) }),
    );
    return Item?.citizenId as string | undefined;
  }

  async byId(id: string): Promise<Citizen | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: citizenKeys.profile(id) }),
    );
    return Item ? citizenFromItem(Item) : undefined;
  }

  async byIdentity(identity: Identity): Promise<Citizen | undefined> {
    const owner = await this.ownerOf(identity);
    return owner ? this.byId(owner) : undefined;
  }

  async bySurname(query: string, page: PageRequest = {}): Promise<Page<Citizen>> {
    const normalized = normalizeName(query);
    if (normalized.length < 2) throw new ValidationError('surname', 'must have at least 2 letters');
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INDEXES.bySurname.name,
        KeyConditionExpression: `${INDEXES.bySurname.partitionKey} = :p AND begins_with(${INDEXES.bySurname.sortKey}, :q)`,
        ExpressionAttributeValues: { ':p': citizenKeys.surnamePartition(normalized), ':q': normalized },
        Limit: pageLimit(page.limit),
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    return this.page(result.Items, result.LastEvaluatedKey, citizenFromItem);
  }

  async appendContact(contact: ContactRecord): Promise<boolean> {
    const expiresAt = this.options.retentionDays
      ? Math.floor(Date.parse(contact.at) / 1000) + this.options.retentionDays * 86_400
      : undefined;
    try {
      await transactWrite(this.doc, [
        {
          Put: {
            TableName: this.table,
            Item: {
              ...citizenKeys.contactGuard(contact.contactId),
              citizenId: contact.citizenId,
              at: contact.at,
              expiresAt,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: this.table, Item: contactItem(contact, expiresAt) } },
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionCancelled && error.failedCondition() === 0) return false;
      throw error;
    }
  }

  async contacts(citizenId: string, page: PageRequest = {}): Promise<Page<ContactRecord>> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
        ExpressionAttributeValues: {
          ':p': citizenKeys.profile(citizenId).pk,
          ':c': citizenKeys.contactPrefix,
        },
        ScanIndexForward: false,
        Limit: pageLimit(page.limit),
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    return this.page(result.Items, result.LastEvaluatedKey, contactFromItem);
  }

  async contactPlace(contactId: string): Promise<ContactPlace | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: citizenKeys.contactGuard(contactId),
        ConsistentRead: true,
      }),
    );
    return Item ? { citizenId: String(Item.citizenId), at: String(Item.at) } : undefined;
  }

  async attachWrapUp(place: ContactPlace, contactId: string, wrapUp: WrapUp): Promise<ContactRecord> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: citizenKeys.contact(place.citizenId, place.at, contactId),
        UpdateExpression: 'SET wrapUp = :w',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':w': wrapUp },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return contactFromItem(Attributes!);
  }

  private page<T>(
    items: Record<string, unknown>[] | undefined,
    last: Record<string, unknown> | undefined,
    parse: (item: Record<string, unknown>) => T,
  ): Page<T> {
    const cursor = encodeCursor(last);
    return { items: (items ?? []).map(parse), ...(cursor ? { cursor } : {}) };
  }
}
