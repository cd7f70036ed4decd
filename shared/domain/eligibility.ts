/**
 * Whether a citizen may go ahead with a procedure, as the agency that knows says: a tax clearance (they owe
 * nothing), a plate available. Ventanilla asks; it never decides. When the agency is slow, down or answers
 * something unreadable the outcome is `unknown` — "will be verified" — and never a yes on a guess.
 */
export type EligibilityOutcome = 'eligible' | 'not-eligible' | 'unknown';

export interface EligibilityAnswer {
  readonly outcome: EligibilityOutcome;
  /** The agency's reason for a no, as it gave it (shown to the citizen and the agent). */
  readonly reason?: string;
  readonly checkedAt: string;
  /** Where the answer came from: the agency now, an answer of its kept for a while, or no answer at all. */
  readonly source: 'agency' | 'cache' | 'unavailable';
}

/** One agency check (e.g. "tax-clearance") for a citizen's document. */
export interface EligibilityCheck {
  check(check: string, document: string): Promise<EligibilityAnswer>;
}

/** Only the agency's yes lets a booking that needs the check be confirmed. */
export const confirmable = (answer: EligibilityAnswer): boolean => answer.outcome === 'eligible';
