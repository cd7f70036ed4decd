import {
  GetCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isClosed, type AuditEvent, type Case, type CaseStatus } from '../../domain/case';
import type { CaseContact } from '../../domain/contact';
import {
  NotFoundError,
  OpenCaseExistsError,
  TicketCollisionError,
  VersionConflictError,
} from '../../domain/errors';
import type { CaseNote, CaseNotes } from '../../domain/notes';
import type { Identity } from '../../domain/identity';
import type { CaseRepository, Page, PageRequest } from '../../domain/ports';
import { openCaseChange } from '../../domain/screen-pop';
import type { Ticket } from '../../domain/ticket';
import {
  auditFromItem,
  auditItem,
  caseContactFromItem,
  caseContactItem,
  caseFromItem,
  caseItem,
  caseKeys,
} from './case-items';
import { decodeCursor, encodeCursor, pageLimit } from './pagination';
import { summaryUpdates } from './screen-pop-items';
import { TransactionCancelled, transactWrite } from './transact';
import { INDEXES, type IndexSpec } from './tables';

const ABSENT = 'attribute_not_exists(pk)';

export interface StoreTables {
  readonly cases: string;
  readonly citizens: string;
}

export class DynamoCaseRepository implements CaseRepository, CaseNotes {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: StoreTables,
  ) {}

  private get table(): string {
    return this.tables.cases;
  }

  async create(
    created: Case,
    audit: AuditEvent,
    owner: readonly Identity[],
    contact?: CaseContact,
  ): Promise<Case> {
    try {
      await transactWrite(this.doc, [
        { Put: { TableName: this.table, Item: caseItem(created), ConditionExpression: ABSENT } },
        {
          Put: {
            TableName: this.table,
            Item: { ...caseKeys.openTopic(created.citizenId, created.topicId), ticket: created.ticket },
            ConditionExpression: ABSENT,
          },
        },
        { Put: { TableName: this.table, Item: auditItem(audit), ConditionExpression: ABSENT } },
        ...(contact ? [{ Put: { TableName: this.table, Item: caseContactItem(contact) } }] : []),
        ...summaryUpdates(this.tables.citizens, owner, {
          openCase: [created.ticket, openCaseChange(created)],
        }),
      ]);
      return created;
    } catch (error) {
      if (error instanceof TransactionCancelled) {
        const failed = error.failedCondition();
        if (failed === 1) throw new OpenCaseExistsError(created.topicId);
        if (failed >= 0) throw new TicketCollisionError();
      }
      throw error;
    }
  }

  async byTicket(ticket: Ticket): Promise<Case | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: caseKeys.case(ticket) }),
    );
    return Item ? caseFromItem(Item) : undefined;
  }

  async saveTransition(next: Case, audit: AuditEvent, owner: readonly Identity[]): Promise<Case> {
    const expected = next.version - 1;
    const guard = caseKeys.openTopic(next.citizenId, next.topicId);
    const closing = audit.from !== null && !isClosed(audit.from) && isClosed(next.status);
    const reopening = audit.from !== null && isClosed(audit.from) && !isClosed(next.status);
    try {
      await transactWrite(this.doc, [
        {
          Put: {
            TableName: this.table,
            Item: caseItem(next),
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': expected },
          },
        },
        { Put: { TableName: this.table, Item: auditItem(audit), ConditionExpression: ABSENT } },
        ...(closing
          ? [
              {
                Delete: {
                  TableName: this.table,
                  Key: guard,
                  ConditionExpression: 'attribute_not_exists(pk) OR ticket = :t',
                  ExpressionAttributeValues: { ':t': next.ticket },
                },
              },
            ]
          : []),
        ...(reopening
          ? [
              {
                Put: {
                  TableName: this.table,
                  Item: { ...guard, ticket: next.ticket },
                  ConditionExpression: ABSENT,
                },
              },
            ]
          : []),
        ...summaryUpdates(this.tables.citizens, owner, { openCase: [next.ticket, openCaseChange(next)] }),
      ]);
      return next;
    } catch (error) {
      if (error instanceof TransactionCancelled) {
        const failed = error.failedCondition();
        if (failed === 2 && reopening) throw new OpenCaseExistsError(next.topicId);
        if (failed >= 0) throw new VersionConflictError('case', expected);
      }
      throw error;
    }
  }

  async audit(ticket: Ticket): Promise<readonly AuditEvent[]> {
    return this.queryAll(ticket, caseKeys.auditPrefix, auditFromItem);
  }

  async appendContact(contact: CaseContact): Promise<boolean> {
    try {
      await transactWrite(this.doc, [
        {
          ConditionCheck: {
            TableName: this.table,
            Key: caseKeys.case(contact.ticket),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        { Put: { TableName: this.table, Item: caseContactItem(contact), ConditionExpression: ABSENT } },
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionCancelled && error.failedCondition() === 1) return false;
      throw error;
    }
  }

  async contacts(ticket: Ticket): Promise<readonly CaseContact[]> {
    const contacts = await this.queryAll(ticket, caseKeys.contactPrefix, caseContactFromItem);
    return contacts.sort((a, b) => a.at.localeCompare(b.at));
  }

  byCitizen(citizenId: string, page: PageRequest = {}): Promise<Page<Case>> {
    return this.indexPage(INDEXES.byCitizen, caseKeys.citizenPartition(citizenId), page, false);
  }

  byStatusAndDepartment(
    status: CaseStatus,
    departmentId: string,
    page: PageRequest & { from?: string; to?: string } = {},
  ): Promise<Page<Case>> {
    return this.indexPage(INDEXES.byStatus, caseKeys.statusPartition(status, departmentId), page, true, {
      from: page.from,
      to: page.to,
    });
  }

  async addNote(note: CaseNote): Promise<void> {
    try {
      await transactWrite(this.doc, [
        {
          ConditionCheck: {
            TableName: this.table,
            Key: caseKeys.case(note.ticket),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: { ...caseKeys.note(note.ticket, note.at, note.id), type: 'NOTE', ...note },
            ConditionExpression: ABSENT,
          },
        },
      ]);
    } catch (error) {
      if (error instanceof TransactionCancelled && error.failedCondition() === 0)
        throw new NotFoundError('case');
      if (error instanceof TransactionCancelled && error.failedCondition() === 1) return;
      throw error;
    }
  }

  async notes(ticket: Ticket): Promise<readonly CaseNote[]> {
    return this.queryAll(ticket, caseKeys.notePrefix, (item) => {
      const { ticket: t, id, at, author, text } = item as unknown as CaseNote;
      return { ticket: t, id, at, author, text };
    });
  }

  private async indexPage(
    index: IndexSpec,
    key: string,
    page: PageRequest,
    oldestFirst: boolean,
    range: { from?: string | undefined; to?: string | undefined } = {},
  ): Promise<Page<Case>> {
    // Sort keys are "<createdAt>#<ticket>": a range of creation times is a range of keys.
    const from = range.from ?? '0';
    const to = range.to ? `${range.to}#~` : '~';
    const ranged = range.from !== undefined || range.to !== undefined;
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: index.name,
        KeyConditionExpression: ranged
          ? `${index.partitionKey} = :k AND ${index.sortKey} BETWEEN :f AND :t`
          : `${index.partitionKey} = :k`,
        ExpressionAttributeValues: { ':k': key, ...(ranged ? { ':f': from, ':t': to } : {}) },
        ScanIndexForward: oldestFirst,
        Limit: pageLimit(page.limit),
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    const cursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map(caseFromItem), ...(cursor ? { cursor } : {}) };
  }

  private async queryAll<T>(
    ticket: Ticket,
    prefix: string,
    parse: (item: Record<string, unknown>) => T,
  ): Promise<T[]> {
    const out: T[] = [];
    let start: QueryCommandInput['ExclusiveStartKey'];
    do {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':p': caseKeys.case(ticket).pk, ':s': prefix },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(result.Items ?? []).map(parse));
      start = result.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
