import type { RectificationNotice } from '../../domain/backoffice';
import { batchKeys } from './backoffice-store';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isClosed, type Case } from '../../domain/case';
import type { Citizen } from '../../domain/citizen';
import { ConcurrentChangeError, IdentityTakenError, NotFoundError } from '../../domain/errors';
import type { Identity } from '../../domain/identity';
import type {
  CitizenLinkStore,
  MergePlan,
  LinkRecord,
  MergeRecord,
  MergeSnapshot,
  StoredSummary,
} from '../../domain/merge';
import type { ScreenPopSummary } from '../../domain/screen-pop';
import { batchGet } from './batch';
import { queryPages } from './pagination';
import { caseFromItem, caseKeys } from './case-items';
import { citizenFromItem, citizenKeys, identityItem, profileItem } from './citizen-items';
import { revOfItem, summaryFromItem } from './screen-pop-items';
import type { StoreTables } from './case-repository';
import { TransactionCancelled, transactWrite } from './transact';
import { INDEXES } from './tables';

type TransactItems = Parameters<typeof transactWrite>[1];

const mergeKey = (citizenId: string, at: string, id: string) => ({
  pk: `CIT#${citizenId}`,
  sk: `MERGE#${at}#${id}`,
});
const linkKey = (citizenId: string, at: string, id: string) => ({
  pk: `CIT#${citizenId}`,
  sk: `LINK#${at}#${id}`,
});

/**
 * Merges and identity links, each one transaction over both tables: the profiles at their versions, every
 * identity item at the summary revision that was read, each moved case at its version, the open-topic
 * guards moved with their cases. Whatever changed meanwhile cancels the whole write (ConcurrentChangeError).
 */
export class DynamoCitizenLinks implements CitizenLinkStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: StoreTables,
  ) {}

  async mergeSnapshot(survivorId: string, duplicateId: string): Promise<MergeSnapshot> {
    const profiles = await batchGet(
      this.doc,
      this.tables.citizens,
      [citizenKeys.profile(survivorId), citizenKeys.profile(duplicateId)],
      citizenFromItem,
      true,
    );
    const survivor = profiles.find((c) => c.id === survivorId);
    const duplicate = profiles.find((c) => c.id === duplicateId);
    if (!survivor) throw new NotFoundError('citizen');
    if (!duplicate) throw new NotFoundError('duplicate citizen');
    const [indexed, summaries] = await Promise.all([
      this.allCases(duplicateId),
      this.stored([...survivor.identities, ...duplicate.identities]),
    ]);
    // The citizen index may lag a case created a moment ago; the duplicate's screen pops list every open
    // case, read from the table itself, so none is left behind.
    const known = new Set(indexed.map((c) => c.ticket as string));
    const missing = summaries
      .filter((s) => s.summary.citizenId === duplicateId)
      .flatMap((s) => Object.keys(s.summary.openCases))
      .filter((ticket, i, all) => !known.has(ticket) && all.indexOf(ticket) === i);
    const late = missing.length
      ? await batchGet(this.doc, this.tables.cases, missing.map(caseKeys.case), caseFromItem, true)
      : [];
    const duplicateCases = [...indexed, ...late.filter((c) => c.citizenId === duplicateId)];
    return { survivor, duplicate, duplicateCases, summaries };
  }

  async summaries(citizen: Citizen): Promise<readonly StoredSummary[]> {
    return this.stored(citizen.identities);
  }

  private async stored(identities: readonly Identity[]): Promise<StoredSummary[]> {
    const items = await batchGet(
      this.doc,
      this.tables.citizens,
      identities.map((i) => citizenKeys.identity(i)),
      (item) => item,
      true,
    );
    return items.map((item) => ({
      identity: { kind: item.kind, value: item.value } as Identity,
      summary: summaryFromItem(item),
      rev: revOfItem(item),
    }));
  }

  private async allCases(citizenId: string): Promise<Case[]> {
    const out: Case[] = [];
    const query = {
      TableName: this.tables.cases,
      IndexName: INDEXES.byCitizen.name,
      KeyConditionExpression: `${INDEXES.byCitizen.partitionKey} = :k`,
      ExpressionAttributeValues: { ':k': caseKeys.citizenPartition(citizenId) },
    };
    for await (const page of queryPages(this.doc, query, caseFromItem)) out.push(...page);
    return out;
  }

  async commitMerge(plan: MergePlan): Promise<void> {
    const { citizens } = this.tables;
    const { survivor, duplicate } = plan.snapshot;
    const items: TransactItems = [
      this.profilePut(plan.citizen, survivor.version),
      this.profilePut(plan.tombstone, duplicate.version),
      ...plan.snapshot.summaries.map((s) => this.summaryPut(s, plan.citizen.id, plan.summary)),
      ...plan.snapshot.duplicateCases.flatMap((c) => this.caseMove(c, plan.citizen.id)),
      {
        Put: {
          TableName: citizens,
          Item: {
            ...mergeKey(plan.citizen.id, plan.record.at, plan.record.id),
            type: 'MERGE',
            ...plan.record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    try {
      await transactWrite(this.doc, items);
    } catch (error) {
      if (error instanceof TransactionCancelled && error.failedCondition() >= 0)
        throw new ConcurrentChangeError('citizen');
      throw error;
    }
  }

  async commitLink(
    next: Citizen,
    added: readonly Identity[],
    summary: ScreenPopSummary,
    stored: readonly StoredSummary[],
    record: LinkRecord,
    removed: readonly StoredSummary[] = [],
    notices: readonly RectificationNotice[] = [],
  ): Promise<void> {
    const items: TransactItems = [
      this.profilePut(next, next.version - 1),
      ...stored.map((s) => this.summaryPut(s, next.id, summary)),
      ...added.map((identity) => ({
        Put: {
          TableName: this.tables.citizens,
          Item: { ...identityItem(identity, summary, next.updatedAt), rev: 1 },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      })),
      // The trace, then the identities that no longer find the citizen: after the new identity items, which
      // keep the positions the error handling below expects.
      {
        Put: {
          TableName: this.tables.citizens,
          Item: { ...linkKey(next.id, record.at, record.id), type: 'LINK', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...removed.map((s) => ({
        Delete: {
          TableName: this.tables.citizens,
          Key: citizenKeys.identity(s.identity),
          ConditionExpression: 'citizenId = :o AND (rev = :r OR attribute_not_exists(rev))',
          ExpressionAttributeValues: { ':o': s.summary.citizenId, ':r': s.rev },
        },
      })),
      ...notices.map((notice) => ({
        Put: {
          TableName: this.tables.cases,
          Item: {
            ...batchKeys.rectification(notice.departmentId, notice.citizenId),
            type: 'RECTIFY',
            ...notice,
          },
        },
      })),
    ];
    try {
      await transactWrite(this.doc, items);
    } catch (error) {
      if (error instanceof TransactionCancelled) {
        const failed = error.failedCondition();
        const firstNew = 1 + stored.length;
        if (failed >= firstNew && failed < firstNew + added.length) {
          const owner = error.reasons[failed]?.item?.citizenId;
          throw new IdentityTakenError(added[failed - firstNew]!.kind, String(owner ?? 'unknown'));
        }
        if (failed >= 0) throw new ConcurrentChangeError('citizen');
      }
      throw error;
    }
  }

  async links(citizenId: string): Promise<readonly LinkRecord[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.citizens,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :l)',
        ExpressionAttributeValues: { ':p': citizenKeys.profile(citizenId).pk, ':l': 'LINK#' },
        ScanIndexForward: false,
      }),
    );
    return (page.Items ?? []).map((item) => {
      const { id, at, actor, reason, citizenId: owner, identities } = item as LinkRecord;
      return { id, at, actor, reason, citizenId: owner, identities };
    });
  }

  async merges(citizenId: string): Promise<readonly MergeRecord[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.citizens,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :m)',
        ExpressionAttributeValues: { ':p': citizenKeys.profile(citizenId).pk, ':m': 'MERGE#' },
        ScanIndexForward: false,
      }),
    );
    return (page.Items ?? []).map((item) => {
      const { id, at, actor, reason, survivorId, duplicateId, tickets, identities } = item as MergeRecord;
      return { id, at, actor, reason, survivorId, duplicateId, tickets, identities };
    });
  }

  private profilePut(citizen: Citizen, expectedVersion: number) {
    return {
      Put: {
        TableName: this.tables.citizens,
        Item: profileItem(citizen),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': expectedVersion },
      },
    };
  }

  /** The identity item handed to its (new) owner with the joined summary, if unchanged since it was read. */
  private summaryPut(stored: StoredSummary, owner: string, summary: ScreenPopSummary) {
    return {
      Update: {
        TableName: this.tables.citizens,
        Key: citizenKeys.identity(stored.identity),
        UpdateExpression: 'SET citizenId = :n, summary = :s ADD rev :one',
        ConditionExpression: 'citizenId = :o AND (rev = :r OR attribute_not_exists(rev))',
        ExpressionAttributeValues: {
          ':n': owner,
          ':s': summary,
          ':one': 1,
          ':o': stored.summary.citizenId,
          ':r': stored.rev,
        },
      },
    };
  }

  /** A case moved to the survivor: its citizen (and citizen index key) at the version read; an open one's topic guard with it. */
  private caseMove(c: Case, survivorId: string) {
    const { cases } = this.tables;
    const move = {
      Update: {
        TableName: cases,
        Key: caseKeys.case(c.ticket),
        UpdateExpression: 'SET citizenId = :s, gsi1pk = :p',
        ConditionExpression: 'version = :v AND citizenId = :d',
        ExpressionAttributeValues: {
          ':s': survivorId,
          ':p': caseKeys.citizenPartition(survivorId),
          ':v': c.version,
          ':d': c.citizenId,
        },
      },
    };
    if (isClosed(c.status)) return [move];
    return [
      move,
      {
        Delete: {
          TableName: cases,
          Key: caseKeys.openTopic(c.citizenId, c.topicId),
          ConditionExpression: 'ticket = :t',
          ExpressionAttributeValues: { ':t': c.ticket },
        },
      },
      {
        Put: {
          TableName: cases,
          Item: { ...caseKeys.openTopic(survivorId, c.topicId), ticket: c.ticket },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }
}
