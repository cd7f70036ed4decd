import { isClosed, type Case, type CaseStatus } from './case';
import type { BusinessCalendar } from './calendar';
import type { Catalogue } from './catalogue';
import type { Language } from './citizen';

/** Requests recorded by self-service that a person must settle if self-service could not. */
export const FOLLOW_UP_REQUESTS: readonly string[] = ['link-by-sms'];
/** The statuses a follow-up can concern: every one still waiting for something. */
export const ACTIVE_STATUSES: readonly CaseStatus[] = ['OPEN', 'PENDING_RESPONSE', 'PENDING_COMMUNICATION'];

export type FollowUpReason = 'overdue' | 'self-service' | 'answer-untold';

/** A piece of follow-up work for a department's agents: a Connect task in AWS, the task outbox locally. */
export interface FollowUpTask {
  /** One per case per local day: `followup:<date>:<ticket>`. */
  readonly id: string;
  readonly date: string;
  readonly ticket: string;
  readonly departmentId: string;
  readonly topicId: string;
  readonly reason: FollowUpReason;
  readonly status: CaseStatus;
  readonly dueAt: string;
  /** Short title and description, in the deployment's default language. */
  readonly name: string;
  readonly description: string;
}

/** Creates follow-up work. Idempotent by task id: the same id twice creates one task. */
export interface FollowUpSink {
  create(task: FollowUpTask): Promise<void>;
}

/** The cases a follow-up run looks at, and which tasks it already created. */
export interface FollowUpStore {
  /** The department's cases in a status, a page at a time. */
  casesIn(status: CaseStatus, departmentId: string): AsyncIterable<readonly Case[]>;
  /** Which of these task ids were created already. */
  created(ids: readonly string[]): Promise<ReadonlySet<string>>;
  /** Remembers a task as created. */
  markCreated(task: FollowUpTask): Promise<void>;
}

/**
 * Why a case needs following up today, if it does: it is past its due time and not closed; it is a
 * self-service request from an earlier day that self-service did not settle (still OPEN); or its answer has
 * waited since an earlier day for a message that could not go (the number stopped proactive messages, or the
 * citizen has no messaging channel): a person tells it.
 */
export function followUpReason(c: Case, now: Date, dayStart: Date): FollowUpReason | undefined {
  if (isClosed(c.status)) return undefined;
  if (Date.parse(c.dueAt) < now.getTime()) return 'overdue';
  if (c.status === 'PENDING_COMMUNICATION' && Date.parse(c.updatedAt) < dayStart.getTime())
    return 'answer-untold';
  if (
    c.status === 'OPEN' &&
    c.request !== undefined &&
    FOLLOW_UP_REQUESTS.includes(c.request) &&
    Date.parse(c.createdAt) < dayStart.getTime()
  )
    return 'self-service';
  return undefined;
}

/**
 * A request the task may name: one of the self-service codes. A citizen's own words stay in the case (the
 * agent opens it by its ticket): Connect keeps a task's name and description for 24 months.
 */
const requestCode = (c: Case) =>
  c.request && FOLLOW_UP_REQUESTS.includes(c.request) ? c.request : undefined;

const TEXT = {
  es: {
    overdue: (c: Case, topic: string) => `Trámite ${c.ticket} vencido (${topic})`,
    'self-service': (c: Case, topic: string) => `Seguimiento de autoservicio ${c.ticket} (${topic})`,
    'answer-untold': (c: Case, topic: string) => `Respuesta por comunicar ${c.ticket} (${topic})`,
    body: (c: Case) =>
      `Estado ${c.status}; vencía ${c.dueAt}.${requestCode(c) ? ` Solicitud: ${requestCode(c)}.` : ''} Abra el trámite por su ticket y contacte al ciudadano.`,
  },
  en: {
    overdue: (c: Case, topic: string) => `Case ${c.ticket} overdue (${topic})`,
    'self-service': (c: Case, topic: string) => `Self-service follow-up ${c.ticket} (${topic})`,
    'answer-untold': (c: Case, topic: string) => `Answer to tell ${c.ticket} (${topic})`,
    body: (c: Case) =>
      `Status ${c.status}; due ${c.dueAt}.${requestCode(c) ? ` Request: ${requestCode(c)}.` : ''} Open the case by its ticket and contact the citizen.`,
  },
};

export interface FollowUpDeps {
  readonly store: FollowUpStore;
  readonly sink: FollowUpSink;
  readonly catalogue: Catalogue;
  readonly now: () => Date;
  /** The local calendar date of an instant, and the start of a local date. */
  readonly localDate: (at: Date) => string;
  readonly dayStart: (date: string) => Date;
  readonly isBusinessDay: (departmentId: string, date: string) => boolean;
  readonly language: Language;
}

/** The follow-up's dependencies from a deployment's configuration. */
export function followUpDeps(
  config: {
    catalogue: Catalogue;
    calendar: BusinessCalendar;
    deployment: { readonly defaultLanguage: Language };
  },
  store: FollowUpStore,
  sink: FollowUpSink,
  now: () => Date = () => new Date(),
): FollowUpDeps {
  const { calendar } = config;
  return {
    store,
    sink,
    catalogue: config.catalogue,
    now,
    localDate: (at) => calendar.local(at).date,
    dayStart: (date) => calendar.instantAt(date, 0),
    isBusinessDay: (department, date) => calendar.isBusinessDay(department, date),
    language: config.deployment.defaultLanguage,
  };
}

export interface FollowUpReport {
  readonly date: string;
  readonly created: number;
  /** Due today but created by an earlier run today. */
  readonly alreadyCreated: number;
  readonly byReason: Readonly<Record<FollowUpReason, number>>;
  /** Departments not worked today (weekend or holiday): nothing created for them. */
  readonly closedDepartments: readonly string[];
  /**
   * Tasks Connect would not start (throttled, an error): not remembered as created, so the next run — the
   * schedule's retry, or tomorrow's — starts them; the function fails the run so that it is retried and
   * alarmed.
   */
  readonly failed: number;
  /** The kind of the first failure, for the log (never a citizen's data). */
  readonly firstFailure?: string;
}

/**
 * The daily follow-up: for each department that works today, every case past its SLA, every unsettled
 * self-service request and every answer still untold since an earlier day becomes one follow-up task, at most
 * once per case per day (a second run the same day creates nothing; a run that stopped half way creates the
 * rest).
 */
export async function runFollowUps(
  deps: FollowUpDeps,
  departments: readonly string[],
  onProgress?: (created: number) => void,
): Promise<FollowUpReport> {
  const now = deps.now();
  const date = deps.localDate(now);
  const dayStart = deps.dayStart(date);
  const byReason: Record<FollowUpReason, number> = {
    overdue: 0,
    'self-service': 0,
    'answer-untold': 0,
  };
  const closedDepartments: string[] = [];
  let created = 0;
  let alreadyCreated = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  for (const departmentId of departments) {
    if (!deps.isBusinessDay(departmentId, date)) {
      closedDepartments.push(departmentId);
      continue;
    }
    for (const status of ACTIVE_STATUSES)
      for await (const page of deps.store.casesIn(status, departmentId)) {
        const tasks = page.flatMap((c) => {
          const reason = followUpReason(c, now, dayStart);
          return reason ? [taskFor(deps, c, reason, date)] : [];
        });
        if (!tasks.length) continue;
        const done = await deps.store.created(tasks.map((t) => t.id));
        for (const task of tasks) {
          if (done.has(task.id)) {
            alreadyCreated++;
            continue;
          }
          // Created first, remembered second: a crash between them is healed by the sink's idempotency. A
          // task Connect refuses is not remembered, and the others go on.
          try {
            await deps.sink.create(task);
          } catch (error) {
            failed++;
            firstFailure ??= (error as { name?: string } | undefined)?.name ?? 'Error';
            continue;
          }
          await deps.store.markCreated(task);
          byReason[task.reason]++;
          created++;
          onProgress?.(created);
        }
      }
  }
  return {
    date,
    created,
    alreadyCreated,
    byReason,
    closedDepartments,
    failed,
    ...(firstFailure ? { firstFailure } : {}),
  };
}

function taskFor(deps: FollowUpDeps, c: Case, reason: FollowUpReason, date: string): FollowUpTask {
  const text = TEXT[deps.language];
  const topic = deps.catalogue.name(c.topicId, deps.language);
  return {
    id: `followup:${date}:${c.ticket}`,
    date,
    ticket: c.ticket,
    departmentId: c.departmentId,
    topicId: c.topicId,
    reason,
    status: c.status,
    dueAt: c.dueAt,
    name: text[reason](c, topic).slice(0, 512),
    description: text.body(c).slice(0, 4096),
  };
}
