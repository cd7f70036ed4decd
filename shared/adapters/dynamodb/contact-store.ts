import {
  BatchGetCommand,
  GetCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Case } from '../../domain/case';
import { ConcurrentChangeError, TicketCollisionError } from '../../domain/errors';
import type { Identity } from '../../domain/identity';
import type {
  ContactIntakeStore,
  IntakeOutcome,
  IntakePlan,
  ScreenPopRefresher,
  ScreenPopStore,
} from '../../domain/ports';
import { openCaseEntry, type ScreenPopSummary } from '../../domain/screen-pop';
import type { Ticket } from '../../domain/ticket';
import { auditItem, caseContactItem, caseFromItem, caseItem, caseKeys } from './case-items';
import type { StoreTables } from './case-repository';
import { citizenKeys, contactItem, identityItem, profileItem } from './citizen-items';
import { applySummaryChange, summaryFromItem, summaryUpdates, type SummaryChange } from './screen-pop-items';
import { TransactionCancelled, transactWrite } from './transact';

type Key = Record<string, string>;
const ABSENT = 'attribute_not_exists(pk)';

/**
 * The reads and writes behind the Connect functions, shaped for round trips: a lookup is one GetItem on the
 * identity; an intake is one BatchGet and one transaction; the status line is one BatchGet (and a transaction
 * when it delivers an answer).
 */
export class DynamoContactStore implements ContactIntakeStore, ScreenPopStore, ScreenPopRefresher {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: StoreTables,
    private readonly options: { retentionDays?: number } = {},
  ) {}

  async showOpenCase(identities: readonly Identity[], c: Case): Promise<number> {
    const entry = openCaseEntry(c);
    const changed = await Promise.all(
      identities.map(async (identity) => {
        try {
          await this.doc.send(
            new UpdateCommand({
              TableName: this.tables.citizens,
              Key: citizenKeys.identity(identity),
              UpdateExpression: 'SET summary.openCases.#t = :e ADD rev :one',
              ConditionExpression:
                'citizenId = :c AND attribute_exists(summary.openCases.#t) AND ' +
                '(attribute_not_exists(summary.openCases.#t.version) OR summary.openCases.#t.version < :v)',
              ExpressionAttributeNames: { '#t': c.ticket },
              ExpressionAttributeValues: { ':e': entry, ':one': 1, ':c': c.citizenId, ':v': c.version },
            }),
          );
          return 1;
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) return 0;
          throw error;
        }
      }),
    );
    return changed.reduce((a: number, b) => a + b, 0);
  }

  async summary(identity: Identity): Promise<ScreenPopSummary | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tables.citizens, Key: citizenKeys.identity(identity) }),
    );
    return Item ? summaryFromItem(Item) : undefined;
  }

  async begin(identity: Identity, initialContactId: string) {
    const got = await this.batchGet({
      [this.tables.citizens]: [citizenKeys.identity(identity)],
      [this.tables.cases]: [caseKeys.intake(initialContactId)],
    });
    const identityItem = got[this.tables.citizens]?.[0];
    const intake = got[this.tables.cases]?.[0];
    return {
      ...(identityItem ? { summary: summaryFromItem(identityItem) } : {}),
      ...(intake
        ? { previous: { ticket: intake.ticket as Ticket, result: intake.result as IntakeOutcome['result'] } }
        : {}),
    };
  }

  async caseWithSummaries(ticket: Ticket, identities: readonly Identity[]) {
    const got = await this.batchGet({
      [this.tables.cases]: [caseKeys.case(ticket)],
      ...(identities.length
        ? {
            [this.tables.citizens]: [
              ...new Map(identities.map((i) => [`${i.kind}#${i.value}`, citizenKeys.identity(i)])).values(),
            ],
          }
        : {}),
    });
    const item = got[this.tables.cases]?.[0];
    return {
      ...(item ? { case: caseFromItem(item) as Case } : {}),
      summaries: (got[this.tables.citizens] ?? []).map(summaryFromItem),
    };
  }

  async commit(plan: IntakePlan): Promise<void> {
    const { cases, citizens } = this.tables;
    const at = plan.contact.at;
    const expiresAt = this.options.retentionDays
      ? Math.floor(Date.parse(at) / 1000) + this.options.retentionDays * 86_400
      : undefined;
    const openCase = plan.created
      ? openCaseEntry(plan.created.case)
      : { ...plan.summary.openCases[plan.outcome.ticket]!, updatedAt: at };
    const change: SummaryChange = {
      openCase: [plan.outcome.ticket, openCase],
      addContact: [
        plan.contact.contactId,
        { channel: plan.contact.channel, at, ticket: plan.outcome.ticket },
      ],
      removeContacts: plan.prune,
    };
    const guard = caseKeys.openTopic(plan.summary.citizenId, plan.contact.topicId!);

    const items = [
      // 0: the chain's outcome, once.
      {
        Put: {
          TableName: cases,
          Item: {
            ...caseKeys.intake(plan.initialContactId),
            ...plan.outcome,
            contactId: plan.contact.contactId,
            at,
            expiresAt,
          },
          ConditionExpression: ABSENT,
        },
      },
      // 1: the one open case on the topic: claimed by a new case, still this one for an append.
      plan.created
        ? {
            Put: {
              TableName: cases,
              Item: { ...guard, ticket: plan.outcome.ticket },
              ConditionExpression: ABSENT,
            },
          }
        : {
            ConditionCheck: {
              TableName: cases,
              Key: guard,
              ConditionExpression: 'ticket = :t',
              ExpressionAttributeValues: { ':t': plan.outcome.ticket },
            },
          },
      // 2: the case itself, when new (a taken ticket fails here).
      ...(plan.created
        ? [
            { Put: { TableName: cases, Item: caseItem(plan.created.case), ConditionExpression: ABSENT } },
            { Put: { TableName: cases, Item: auditItem(plan.created.audit) } },
          ]
        : []),
      { Put: { TableName: cases, Item: caseContactItem(plan.link) } },
      { Put: { TableName: citizens, Item: contactItem(plan.contact, expiresAt) } },
      {
        Put: {
          TableName: citizens,
          Item: {
            ...citizenKeys.contactGuard(plan.contact.contactId),
            citizenId: plan.summary.citizenId,
            at,
            expiresAt,
          },
        },
      },
      ...(plan.newCitizen
        ? [
            { Put: { TableName: citizens, Item: profileItem(plan.newCitizen), ConditionExpression: ABSENT } },
            ...plan.newCitizen.identities.map((identity) => ({
              Put: {
                TableName: citizens,
                Item: identityItem(identity, applySummaryChange(plan.summary, change), at),
                ConditionExpression: ABSENT,
              },
            })),
          ]
        : summaryUpdates(citizens, plan.summary.identities, change).map((update) => ({
            // The identity must still belong to this citizen.
            Update: {
              ...update.Update!,
              ConditionExpression: 'citizenId = :owner',
              ExpressionAttributeValues: {
                ...update.Update!.ExpressionAttributeValues,
                ':owner': plan.summary.citizenId,
              },
            },
          }))),
    ];
    try {
      await transactWrite(this.doc, items);
    } catch (error) {
      if (error instanceof TransactionCancelled) {
        const failed = error.failedCondition();
        if (failed === 2 && plan.created) throw new TicketCollisionError();
        if (failed >= 0) throw new ConcurrentChangeError('case intake');
      }
      throw error;
    }
  }

  /** BatchGet with its unprocessed keys resent; items by table. */
  private async batchGet(request: Record<string, Key[]>): Promise<Record<string, Record<string, unknown>[]>> {
    const out: Record<string, Record<string, unknown>[]> = {};
    let pending: Record<string, { Keys: Key[] }> | undefined = Object.fromEntries(
      Object.entries(request).map(([table, keys]) => [table, { Keys: keys }]),
    );
    for (let attempt = 0; pending && Object.keys(pending).length; attempt++) {
      if (attempt > 5) throw new Error('batch get: keys still unprocessed');
      if (attempt) await new Promise((r) => setTimeout(r, 10 * 2 ** attempt));
      const result = await this.doc.send(new BatchGetCommand({ RequestItems: pending }));
      for (const [table, items] of Object.entries(result.Responses ?? {})) (out[table] ??= []).push(...items);
      pending = result.UnprocessedKeys as typeof pending;
    }
    return out;
  }
}
