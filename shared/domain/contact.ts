import type { Actor, Channel } from './case';
import type { Ticket } from './ticket';

/** One interaction on one channel (Connect's ContactId), in the citizen's timeline. */
export interface ContactRecord {
  readonly contactId: string;
  /** The first contact of a transfer chain; retries and transfers share it. */
  readonly initialContactId: string;
  readonly citizenId: string;
  readonly channel: Channel;
  readonly at: string;
  readonly ticket?: Ticket;
  readonly topicId?: string;
  /** What the agent recorded in after-contact work. */
  readonly wrapUp?: WrapUp;
}

/** An agent's after-contact work on a contact: its topic and a note for whoever reads the timeline next. */
export interface WrapUp {
  readonly topicId?: string;
  readonly note?: string;
  readonly by: Actor;
  readonly at: string;
}

/** A contact attached to a case. */
export interface CaseContact {
  readonly ticket: Ticket;
  readonly contactId: string;
  readonly channel: Channel;
  readonly at: string;
  /** The case's topic and department, so a contact joining a case can be counted without reading it. */
  readonly topicId?: string;
  readonly departmentId?: string;
  /** The contact that opened the case (written with it), as opposed to one that joined later. */
  readonly opening?: boolean;
  /** What a joining contact asked for, when it asked for something (e.g. `link-by-sms`). */
  readonly request?: string;
}
