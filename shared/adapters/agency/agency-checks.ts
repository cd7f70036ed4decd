import type { AgencyCheckSettings } from '../../domain/deployment';
import type { EligibilityAnswer, EligibilityCheck } from '../../domain/eligibility';
import { HttpEligibilityCheck } from './http-eligibility';

/**
 * The deployment's agency checks, each to its own endpoint with its own bounds and kept answers. `endpoint`
 * replaces every check's address (locally: the fake agency). A check the deployment does not name is unknown.
 */
export class AgencyChecks implements EligibilityCheck {
  private readonly checks: ReadonlyMap<string, HttpEligibilityCheck>;

  constructor(
    settings: Readonly<Record<string, AgencyCheckSettings>>,
    options: { endpoint?: string; now?: () => Date } = {},
  ) {
    this.checks = new Map(
      Object.entries(settings).map(([name, s]) => [
        name,
        new HttpEligibilityCheck({
          endpoint: options.endpoint ?? s.endpoint,
          timeoutMs: s.timeoutMs,
          retries: s.retries,
          backoffMs: s.backoffMs,
          cacheSeconds: s.cacheSeconds,
          ...(options.now ? { now: options.now } : {}),
        }),
      ]),
    );
  }

  async check(check: string, document: string): Promise<EligibilityAnswer> {
    const found = this.checks.get(check);
    if (!found) return { outcome: 'unknown', checkedAt: new Date().toISOString(), source: 'unavailable' };
    return found.check(check, document);
  }
}
