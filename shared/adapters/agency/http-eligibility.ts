import type { EligibilityAnswer, EligibilityCheck } from '../../domain/eligibility';

export interface HttpEligibilityOptions {
  /** The agency's endpoint: POST `{check, document}` → `{eligible: boolean, reason?: string}`. */
  readonly endpoint: string;
  /** Each attempt's limit. */
  readonly timeoutMs: number;
  /** Attempts after the first, on a timeout, a network error, 429 or 5xx. */
  readonly retries: number;
  /** The wait before the first retry, doubled before each next one. */
  readonly backoffMs: number;
  /** How long an answer of the agency's (yes or no) is kept and given again without asking. */
  readonly cacheSeconds: number;
  readonly now?: () => Date;
}

const RETRIED = (status: number) => status === 429 || status >= 500;

/**
 * An agency's eligibility check over HTTP, for a caller who waits: each attempt bounded by `timeoutMs`, the
 * attempts spaced by a doubling backoff, the agency's answers kept for `cacheSeconds`. A timeout, a refusal,
 * an error or a body that is not `{eligible: true|false}` after the last attempt is `unknown` (not kept), never
 * a yes. The worst case is `(retries + 1) × timeoutMs` plus the backoffs.
 */
export class HttpEligibilityCheck implements EligibilityCheck {
  private readonly kept = new Map<string, { answer: EligibilityAnswer; until: number }>();
  private readonly now: () => Date;

  constructor(private readonly options: HttpEligibilityOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async check(check: string, document: string): Promise<EligibilityAnswer> {
    const key = `${check}\u0000${document}`;
    const cached = this.kept.get(key);
    if (cached && cached.until > this.now().getTime()) return { ...cached.answer, source: 'cache' };
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      if (attempt > 0)
        await new Promise((resolve) => setTimeout(resolve, this.options.backoffMs * 2 ** (attempt - 1)));
      const answer = await this.attempt(check, document);
      if (answer === 'retry') continue;
      if (!answer) break;
      this.kept.set(key, { answer, until: this.now().getTime() + this.options.cacheSeconds * 1000 });
      return answer;
    }
    return { outcome: 'unknown', checkedAt: this.now().toISOString(), source: 'unavailable' };
  }

  /** One request: the agency's answer, `retry` for what another attempt may fix, undefined for what it cannot. */
  private async attempt(check: string, document: string): Promise<EligibilityAnswer | 'retry' | undefined> {
    // The limit covers the answer's body too: an agency that stalls half way is a timeout.
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.options.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ check, document }),
        signal,
      });
    } catch {
      return 'retry';
    }
    if (RETRIED(response.status)) {
      await response.body?.cancel();
      return 'retry';
    }
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    let body: { eligible?: unknown; reason?: unknown } | undefined;
    try {
      body = (await response.json()) as typeof body;
    } catch {
      return signal.aborted ? 'retry' : undefined;
    }
    if (typeof body?.eligible !== 'boolean') return undefined;
    return {
      outcome: body.eligible ? 'eligible' : 'not-eligible',
      ...(!body.eligible && typeof body.reason === 'string' ? { reason: body.reason.slice(0, 300) } : {}),
      checkedAt: this.now().toISOString(),
      source: 'agency',
    };
  }
}
