import { createHash } from 'node:crypto';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryPages } from './pagination';
import type { DayReading, ReadAudit, ReadEvent } from '../../domain/read-audit';

const DAY_S = 86_400;
/** How long a read is kept: two years, the span a citizen may ask about. */
export const READ_KEEP_DAYS = 730;
/** How long a day's counts are kept: long enough for the daily review and a month's look back. */
const DAY_KEEP_DAYS = 45;

/**
 * Staff reads in the cases table: each read under its citizen (`READ#<citizenId>`, `<ISO time>#<id>`), kept
 * two years; and per local day and reader, the set of citizens read, as digests (`READDAY#<date>`, `<user>`),
 * for the daily review.
 */
export class DynamoReadAudit implements ReadAudit {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(event: ReadEvent, day: string): Promise<void> {
    const at = Math.floor(Date.parse(event.at) / 1000);
    await Promise.all([
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `READ#${event.citizenId}`,
            sk: `${event.at}#${event.id}`,
            type: 'READ',
            ...event,
            expiresAt: at + READ_KEEP_DAYS * DAY_S,
          },
        }),
      ),
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `READDAY#${day}`, sk: event.actor.id },
          UpdateExpression: 'ADD citizens :c SET expiresAt = :e',
          // Counted by a digest: the day's item tells how many, not whom.
          ExpressionAttributeValues: {
            ':c': new Set([createHash('sha256').update(event.citizenId).digest('hex').slice(0, 16)]),
            ':e': at + DAY_KEEP_DAYS * DAY_S,
          },
        }),
      ),
    ]);
  }

  async readersOf(citizenId: string, limit = 100): Promise<readonly ReadEvent[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': `READ#${citizenId}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map(
      ({ pk: _pk, sk: _sk, type: _type, expiresAt: _e, ...event }) => event as ReadEvent,
    );
  }

  async day(day: string): Promise<readonly DayReading[]> {
    const out: DayReading[] = [];
    const query = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': `READDAY#${day}` },
    };
    for await (const page of queryPages(this.doc, query, (item) => ({
      user: String(item.sk),
      citizens: (item.citizens as Set<string> | undefined)?.size ?? 0,
    })))
      out.push(...page);
    return out;
  }
}
