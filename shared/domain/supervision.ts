import { isClosed, type Case, type CaseStatus } from './case';
import { toCsv } from './csv';
import { ValidationError } from './errors';
import type { CaseRepository } from './ports';

/** The lists a supervisor watches: by status, and the overdue (past their due time, not closed). */
export const SUPERVISION_VIEWS = ['open', 'overdue', 'pending-response', 'pending-communication'] as const;
export type SupervisionView = (typeof SUPERVISION_VIEWS)[number];
export const SUPERVISION_SORTS = ['due', 'created', 'status'] as const;
export type SupervisionSort = (typeof SUPERVISION_SORTS)[number];

const STATUSES: Record<SupervisionView, readonly CaseStatus[]> = {
  open: ['OPEN'],
  'pending-response': ['PENDING_RESPONSE'],
  'pending-communication': ['PENDING_COMMUNICATION'],
  overdue: ['OPEN', 'PENDING_RESPONSE', 'PENDING_COMMUNICATION'],
};
/** The most cases a list holds: a department's backlog, not the archive. */
export const MAX_LISTED = 5000;

export interface SupervisedCase {
  readonly ticket: string;
  readonly departmentId: string;
  readonly topicId: string;
  readonly status: CaseStatus;
  readonly channel: string;
  readonly createdAt: string;
  readonly dueAt: string;
  /** Past its due time (due times are counted in business days of the department's calendar). */
  readonly overdue: boolean;
}

export interface SupervisionList {
  readonly items: readonly SupervisedCase[];
  /** More matched than a list holds. */
  readonly truncated: boolean;
}

const row = (c: Case, now: number): SupervisedCase => ({
  ticket: c.ticket,
  departmentId: c.departmentId,
  topicId: c.topicId,
  status: c.status,
  channel: c.channel,
  createdAt: c.createdAt,
  dueAt: c.dueAt,
  overdue: !isClosed(c.status) && Date.parse(c.dueAt) < now,
});

/** A supervisor's list of one view over some departments, sorted, at most MAX_LISTED cases. */
export async function supervisionList(
  cases: Pick<CaseRepository, 'byStatusAndDepartment'>,
  query: {
    readonly view?: string;
    readonly sort?: string;
    readonly departments: readonly string[];
    readonly now: Date;
  },
): Promise<SupervisionList> {
  const view = (query.view ?? 'open') as SupervisionView;
  if (!SUPERVISION_VIEWS.includes(view))
    throw new ValidationError('view', `must be one of ${SUPERVISION_VIEWS.join(', ')}`);
  const sort = (query.sort ?? 'due') as SupervisionSort;
  if (!SUPERVISION_SORTS.includes(sort))
    throw new ValidationError('sort', `must be one of ${SUPERVISION_SORTS.join(', ')}`);
  const now = query.now.getTime();
  const items: SupervisedCase[] = [];
  let truncated = false;
  for (const department of query.departments)
    for (const status of STATUSES[view]) {
      let cursor: string | undefined;
      do {
        const page = await cases.byStatusAndDepartment(status, department, {
          limit: 100,
          ...(cursor ? { cursor } : {}),
        });
        for (const c of page.items) {
          const listed = row(c, now);
          if (view === 'overdue' && !listed.overdue) continue;
          if (items.length >= MAX_LISTED) truncated = true;
          else items.push(listed);
        }
        cursor = page.cursor;
      } while (cursor && !truncated);
    }
  const by: Record<SupervisionSort, (a: SupervisedCase, b: SupervisedCase) => number> = {
    due: (a, b) => a.dueAt.localeCompare(b.dueAt),
    created: (a, b) => a.createdAt.localeCompare(b.createdAt),
    status: (a, b) => a.status.localeCompare(b.status) || a.dueAt.localeCompare(b.dueAt),
  };
  return { items: items.sort((a, b) => by[sort](a, b) || a.ticket.localeCompare(b.ticket)), truncated };
}

export const SUPERVISION_COLUMNS = [
  'ticket',
  'department',
  'topic',
  'status',
  'channel',
  'created',
  'due',
  'overdue',
] as const;

/** A list as a CSV file (UTF-8 with BOM, safe to open in a spreadsheet). */
export const supervisionCsv = (items: readonly SupervisedCase[]) =>
  toCsv(
    SUPERVISION_COLUMNS,
    items.map((c) => [
      c.ticket,
      c.departmentId,
      c.topicId,
      c.status,
      c.channel,
      c.createdAt,
      c.dueAt,
      c.overdue ? 'yes' : 'no',
    ]),
  );
