import { MAX_TEXT, type Actor } from './case';
import { ValidationError } from './errors';
import { cleanText } from './text';
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

/** A note as staff write it: trimmed, required, and within the text limit every free text of a case shares. */
export function newNote(input: {
  ticket: Ticket;
  id: string;
  at: string;
  author: Actor;
  text: string;
}): CaseNote {
  const text = cleanText(input.text);
  if (!text) throw new ValidationError('text', 'is required');
  if (text.length > MAX_TEXT) throw new ValidationError('text', `must be at most ${MAX_TEXT} characters`);
  return { ...input, text };
}
