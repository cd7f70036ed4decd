import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ACTOR_ROLES } from '../../domain/case';
import { STAFF_ROLES, type AdminAudit, type AdminAuditEvent } from '../../domain/staff';

const PARTITION = 'ADMINAUDIT';
const eventSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), role: z.enum(ACTOR_ROLES) }),
  action: z.enum(['create-user', 'disable-user', 'enable-user', 'reset-user']),
  username: z.string(),
  role: z.optional(z.enum(STAFF_ROLES)),
  departments: z.optional(z.array(z.string())),
});

/** The administrators' actions on accounts, in the cases table beside the cases' own audit, newest last. */
export class DynamoAdminAudit implements AdminAudit {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(event: AdminAuditEvent): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: PARTITION, sk: `${event.at}#${event.id}`, type: PARTITION, ...event },
      }),
    );
  }

  async list(limit = 100): Promise<readonly AdminAuditEvent[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': PARTITION },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((item) => eventSchema.parse(item) as AdminAuditEvent);
  }
}
