import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { partitionRecords } from './pagination';
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

  of(citizenId: string): Promise<readonly PrivacyEvent[]> {
    return partitionRecords<PrivacyEvent>(this.doc, this.table, `PRIVACY#${citizenId}`);
  }
}
