import { isClosed, type Case, type CaseStatus, type Channel } from './case';
import type { Citizen, Language } from './citizen';
import type { Identity } from './identity';
import type { Ticket } from './ticket';

/**
 * The small summary kept where a caller lookup lands (on each identity of the citizen), so the screen pop
 * costs one read: who they are, their open cases and their recent contacts on any channel.
 */
export interface ScreenPopSummary {
  readonly citizenId: string;
  readonly firstName?: string;
  readonly language: Language;
  /** Every identity of the citizen: a case change updates the summary on each of them. */
  readonly identities: readonly Identity[];
  readonly openCases: Readonly<Record<string, OpenCaseEntry>>;
  readonly contacts: Readonly<Record<string, RecentContact>>;
}
export interface OpenCaseEntry {
  readonly topicId: string;
  readonly status: CaseStatus;
  readonly updatedAt: string;
  /** The case version this entry shows; a late update for an older version is not applied. */
  readonly version?: number;
}
export interface RecentContact {
  readonly channel: Channel;
  readonly at: string;
  readonly ticket?: Ticket;
}

export const RECENT_DAYS = 7;
/** At most this many recent contacts are kept in a summary; older ones are dropped first. */
export const RECENT_MAX = 20;
const DAY_MS = 86_400_000;

export function emptySummary(citizen: Citizen): ScreenPopSummary {
  const firstName = citizen.givenNames?.split(' ')[0];
  return {
    citizenId: citizen.id,
    ...(firstName ? { firstName } : {}),
    language: citizen.language,
    identities: citizen.identities,
    openCases: {},
    contacts: {},
  };
}

export const openCaseEntry = (c: Case): OpenCaseEntry => ({
  topicId: c.topicId,
  status: c.status,
  updatedAt: c.updatedAt,
  version: c.version,
});

/** How a case change shows in the summary: its entry while open, its removal once closed. */
export const openCaseChange = (c: Case): OpenCaseEntry | null =>
  isClosed(c.status) ? null : openCaseEntry(c);

/** The open case on a topic, if the citizen has one. */
export function openTicketOnTopic(summary: ScreenPopSummary, topicId: string): Ticket | undefined {
  return Object.entries(summary.openCases).find(([, entry]) => entry.topicId === topicId)?.[0] as
    Ticket | undefined;
}

/** Contact ids to drop when `incoming` more are added: past the window, then the oldest beyond the cap. */
export function contactsToPrune(summary: ScreenPopSummary, now: Date, incoming = 1): string[] {
  const since = now.getTime() - RECENT_DAYS * DAY_MS;
  const byAge = Object.entries(summary.contacts).sort(([, a], [, b]) => b.at.localeCompare(a.at));
  const stale = byAge.filter(([, c]) => Date.parse(c.at) < since).map(([id]) => id);
  const fresh = byAge.filter(([, c]) => Date.parse(c.at) >= since).map(([id]) => id);
  return [...stale, ...fresh.slice(Math.max(0, RECENT_MAX - incoming))];
}

export interface ScreenPop {
  readonly openCaseCount: number;
  /** The most recently updated open case. */
  readonly openCase?: { readonly ticket: Ticket } & OpenCaseEntry;
  readonly contactsLast7Days: number;
  /** An earlier contact in the window concerns a case that is still open. */
  readonly repeatContact: boolean;
  readonly lastChannel?: Channel;
}

/**
 * The open case the recent contacts (the last 7 days) come back to most, with how many did: why a contact is a
 * repeat contact. Undefined when none of them concerns a case that is still open.
 */
export function repeatOf(
  contacts: readonly { readonly at: string; readonly ticket?: string }[],
  openTickets: ReadonlySet<string>,
  now: Date,
): { readonly ticket: Ticket; readonly contacts: number } | undefined {
  const since = now.getTime() - RECENT_DAYS * DAY_MS;
  const counts = new Map<string, number>();
  for (const c of contacts)
    if (c.ticket !== undefined && openTickets.has(c.ticket) && Date.parse(c.at) >= since)
      counts.set(c.ticket, (counts.get(c.ticket) ?? 0) + 1);
  const [ticket, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  return ticket ? { ticket: ticket as Ticket, contacts: count! } : undefined;
}

/** What an agent's screen pop and the flow need to know about a caller, from their summary. */
export function screenPop(summary: ScreenPopSummary, now: Date, currentContactId?: string): ScreenPop {
  const since = now.getTime() - RECENT_DAYS * DAY_MS;
  const open = Object.entries(summary.openCases).sort(([, a], [, b]) =>
    b.updatedAt.localeCompare(a.updatedAt),
  );
  const recent = Object.entries(summary.contacts)
    .filter(([id, c]) => id !== currentContactId && Date.parse(c.at) >= since)
    .sort(([, a], [, b]) => b.at.localeCompare(a.at));
  const first = open[0];
  const last = recent[0]?.[1];
  return {
    openCaseCount: open.length,
    ...(first ? { openCase: { ticket: first[0] as Ticket, ...first[1] } } : {}),
    contactsLast7Days: recent.length,
    repeatContact:
      repeatOf(
        recent.map(([, c]) => c),
        new Set(Object.keys(summary.openCases)),
        now,
      ) !== undefined,
    ...(last ? { lastChannel: last.channel } : {}),
  };
}
