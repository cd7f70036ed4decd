import { DomainError } from './errors';

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

/** What the agencies said for one booking: each check's answer, and what they add up to. */
export interface EligibilityVerdict {
  readonly outcome: EligibilityOutcome;
  readonly checks: readonly ({ readonly check: string } & EligibilityAnswer)[];
  /** No document on record to ask the agencies about. */
  readonly noDocument?: boolean;
}

/**
 * Asks every check a procedure needs, at once, for the citizen's document: a no from any agency is a no; an
 * agency that did not answer (or no document to ask with) is `unknown`; only every agency's yes is a yes.
 */
export async function eligibilityFor(
  port: EligibilityCheck | undefined,
  checks: readonly string[],
  document: string | undefined,
  now: Date,
): Promise<EligibilityVerdict> {
  if (checks.length === 0) return { outcome: 'eligible', checks: [] };
  if (!document || !port)
    return {
      outcome: 'unknown',
      ...(document ? {} : { noDocument: true }),
      checks: checks.map((check) => ({
        check,
        outcome: 'unknown' as const,
        checkedAt: now.toISOString(),
        source: 'unavailable' as const,
      })),
    };
  const answers = await Promise.all(
    checks.map(async (check) => ({ check, ...(await port.check(check, document)) })),
  );
  const outcome = answers.some((a) => a.outcome === 'not-eligible')
    ? 'not-eligible'
    : answers.some((a) => a.outcome === 'unknown')
      ? 'unknown'
      : 'eligible';
  return { outcome, checks: answers };
}

/** An agency said no: nothing is booked. The agency's reason goes to the citizen and the agent. */
export class NotEligibleError extends DomainError {
  readonly code = 'NOT_ELIGIBLE';
  /** Said with the error: which check said no, and the agency's reason. */
  readonly detail: { readonly check: string; readonly reason?: string };
  constructor(readonly verdict: EligibilityVerdict) {
    const no = verdict.checks.find((c) => c.outcome === 'not-eligible')!;
    super(`the agency's ${no.check} check says no${no.reason ? `: ${no.reason}` : ''}; nothing was booked`);
    this.detail = { check: no.check, ...(no.reason ? { reason: no.reason } : {}) };
  }
}

/** An agency did not answer (or there is no document to ask with): nothing is booked on a guess. */
export class EligibilityUnknownError extends DomainError {
  readonly code = 'ELIGIBILITY_UNKNOWN';
  readonly detail: { readonly noDocument: boolean };
  constructor(readonly verdict: EligibilityVerdict) {
    super(
      verdict.noDocument
        ? 'this procedure is checked with another agency by the citizen’s document, and none is on record: nothing was booked'
        : `will be verified: the agency did not answer (${verdict.checks
            .filter((c) => c.outcome === 'unknown')
            .map((c) => c.check)
            .join(', ')}); nothing was booked`,
    );
    this.detail = { noDocument: verdict.noDocument === true };
  }
}

/** Throws unless every agency said yes. */
export function requireEligible(verdict: EligibilityVerdict): void {
  if (verdict.outcome === 'not-eligible') throw new NotEligibleError(verdict);
  if (verdict.outcome === 'unknown') throw new EligibilityUnknownError(verdict);
}
