import type { Actor } from './case';
import type { Ticket } from './ticket';

/** A staff note on a case: free text, never shown to the citizen. */
export interface CaseNote {
  readonly ticket: Ticket;
  readonly id: string;
  readonly at: string;
  readonly author: Actor;
  readonly text: string;
}

export interface CaseNotes {
  /** Adds a note to an existing case (NotFoundError otherwise); the same id twice is one note. */
  addNote(note: CaseNote): Promise<void>;
  /** The notes of a case, oldest first. */
  notes(ticket: Ticket): Promise<readonly CaseNote[]>;
}
