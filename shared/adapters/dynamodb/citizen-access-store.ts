import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { CitizenAccessStore, CitizenSession, KeptCode } from '../../domain/citizen-access';

const seconds = (at: Date | string) => Math.floor(new Date(at).getTime() / 1000);

/**
 * The citizens' sign-in in the citizens table, every item short-lived (TTL): counts (`ACCESS#<what>#<key>`),
 * a number's code (`ACCESSCODE#<phone>`, its digest only) and lock (`ACCESSLOCK#<phone>`), and sessions under
 * their token's digest (`CITIZENSESSION#<digest>`). TTL removes items late, so each read checks the expiry.
 */
export class DynamoCitizenAccessStore implements CitizenAccessStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async count(key: string, windowSeconds: number, now: Date): Promise<number> {
    const Key = { pk: `ACCESS#${key}`, sk: 'COUNT' };
    try {
      // A window that has ended (or none yet) starts again at one.
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...Key, n: 1, expiresAt: seconds(now) + windowSeconds },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': seconds(now) },
        }),
      );
      return 1;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key,
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.n ?? 1);
  }

  async forget(key: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: `ACCESS#${key}`, sk: 'COUNT' } }),
    );
  }

  async keepCode(phone: string, code: KeptCode): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `ACCESSCODE#${phone}`, sk: 'CODE', ...code, expiresAt: seconds(code.expiresAt) + 60 },
      }),
    );
  }

  async code(phone: string): Promise<KeptCode | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `ACCESSCODE#${phone}`, sk: 'CODE' },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      digest: Item.digest as string,
      channel: Item.channel as KeptCode['channel'],
      language: Item.language as KeptCode['language'],
      expiresAt: new Date(Number(Item.expiresAt) * 1000 - 60_000).toISOString(),
    };
  }

  async useCode(phone: string, digest: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: `ACCESSCODE#${phone}`, sk: 'CODE' },
          ConditionExpression: 'digest = :d',
          ExpressionAttributeValues: { ':d': digest },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async dropCode(phone: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: `ACCESSCODE#${phone}`, sk: 'CODE' } }),
    );
  }

  async lock(phone: string, until: Date): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `ACCESSLOCK#${phone}`,
          sk: 'LOCK',
          until: until.toISOString(),
          expiresAt: seconds(until),
        },
      }),
    );
  }

  async lockedUntil(phone: string): Promise<string | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `ACCESSLOCK#${phone}`, sk: 'LOCK' },
        ConsistentRead: true,
      }),
    );
    return Item?.until as string | undefined;
  }

  async keepSession(digest: string, session: CitizenSession): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `CITIZENSESSION#${digest}`,
          sk: 'SESSION',
          ...session,
          expiresAt: seconds(session.expiresAt),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async session(digest: string): Promise<CitizenSession | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `CITIZENSESSION#${digest}`, sk: 'SESSION' },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      phone: Item.phone as string,
      channel: Item.channel as CitizenSession['channel'],
      language: Item.language as CitizenSession['language'],
      expiresAt: new Date(Number(Item.expiresAt) * 1000).toISOString(),
    };
  }

  async endSession(digest: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: `CITIZENSESSION#${digest}`, sk: 'SESSION' } }),
    );
  }
}
