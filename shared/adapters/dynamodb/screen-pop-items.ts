import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { CASE_STATUSES, CHANNELS } from '../../domain/case';
import { LANGUAGES } from '../../domain/citizen';
import type { Identity } from '../../domain/identity';
import * as z from 'zod/mini';
import type { OpenCaseEntry, RecentContact, ScreenPopSummary } from '../../domain/screen-pop';
import { citizenKeys } from './citizen-items';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const summarySchema = z.object({
  citizenId: z.string(),
  firstName: z.optional(z.string()),
  language: z.enum(LANGUAGES),
  identities: z.array(z.object({ kind: z.enum(['PHONE', 'EMAIL', 'DOCUMENT']), value: z.string() })),
  openCases: z.record(
    z.string(),
    z.object({
      topicId: z.string(),
      status: z.enum(CASE_STATUSES),
      updatedAt: z.string(),
      version: z.optional(z.number()),
    }),
  ),
  contacts: z.record(
    z.string(),
    z.object({ channel: z.enum(CHANNELS), at: z.string(), ticket: z.optional(z.string()) }),
  ),
});

/** The screen-pop summary stored on an identity item. */
export const summaryFromItem = (item: Record<string, unknown>): ScreenPopSummary =>
  summarySchema.parse(item.summary) as ScreenPopSummary;

/** The summary's revision on an identity item: 0 before its first change. */
export const revOfItem = (item: Record<string, unknown>): number =>
  typeof item.rev === 'number' ? item.rev : 0;

export interface SummaryChange {
  /** A case to show (entry) or drop (null). */
  readonly openCase?: readonly [ticket: string, entry: OpenCaseEntry | null];
  readonly addContact?: readonly [contactId: string, contact: RecentContact];
  readonly removeContacts?: readonly string[];
}

/** The summary after a change, for an identity item written whole. */
export function applySummaryChange(summary: ScreenPopSummary, change: SummaryChange): ScreenPopSummary {
  const openCases = { ...summary.openCases };
  const contacts = { ...summary.contacts };
  if (change.openCase) {
    const [ticket, entry] = change.openCase;
    if (entry) openCases[ticket] = entry;
    else delete openCases[ticket];
  }
  for (const id of change.removeContacts ?? []) delete contacts[id];
  if (change.addContact) contacts[change.addContact[0]] = change.addContact[1];
  return { ...summary, openCases, contacts };
}

/**
 * One update per identity: each sets or removes single map entries, never rewrites the summary, so concurrent
 * changes to different cases or contacts of one citizen do not overwrite each other.
 */
export function summaryUpdates(
  table: string,
  identities: readonly Identity[],
  change: SummaryChange,
): TransactItem[] {
  const set: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (change.openCase) {
    const [ticket, entry] = change.openCase;
    names['#t'] = ticket;
    if (entry) {
      set.push('summary.openCases.#t = :case');
      values[':case'] = entry;
    } else remove.push('summary.openCases.#t');
  }
  if (change.addContact) {
    names['#c'] = change.addContact[0];
    values[':contact'] = change.addContact[1];
    set.push('summary.contacts.#c = :contact');
  }
  (change.removeContacts ?? []).forEach((id, i) => {
    if (id === change.addContact?.[0]) return;
    names[`#p${i}`] = id;
    remove.push(`summary.contacts.#p${i}`);
  });
  if (!set.length && !remove.length) return [];
  // Every change bumps the revision, so a whole-summary rewrite (merge, link) can tell it raced one.
  values[':one'] = 1;
  const expression = [
    set.length ? `SET ${set.join(', ')}` : '',
    remove.length ? `REMOVE ${remove.join(', ')}` : '',
    'ADD rev :one',
  ]
    .filter(Boolean)
    .join(' ');
  return identities.map((identity) => ({
    Update: {
      TableName: table,
      Key: citizenKeys.identity(identity),
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  }));
}
