import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryPages } from './pagination';
import type { PrivacyEvent, PrivacyLog } from '../../domain/subject-access';

/**
 * What staff did with a citizen's data as a whole, in the cases table beside the cases' own audit
 * (`PRIVACY#<citizenId>`, `<ISO time>#<id>`): who, when, why, how many records. It holds no personal data
 * beyond the reason staff typed, and is itself part of what the citizen may see.
 */
export class DynamoPrivacyLog implements PrivacyLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(event: PrivacyEvent): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `PRIVACY#${event.citizenId}`, sk: `${event.at}#${event.id}`, type: 'PRIVACY', ...event },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async of(citizenId: string): Promise<readonly PrivacyEvent[]> {
    const events: PrivacyEvent[] = [];
    const query = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': `PRIVACY#${citizenId}` },
    };
    for await (const page of queryPages(
      this.doc,
      query,
      ({ pk: _pk, sk: _sk, type: _type, ...event }) => event as unknown as PrivacyEvent,
    ))
      events.push(...page);
    return events;
  }
}
