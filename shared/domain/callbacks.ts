import type { CountryCode } from 'libphonenumber-js/min';
import type { CallbackSettings } from './deployment';
import { ValidationError } from './errors';
import { normalizePhone } from './identity';
import type { Clock } from './ports';

/**
 * A queued callback a caller asked for: one pending per number. Connect keeps the caller's place (the callback
 * contact waits in the department's queue); this record lets the next call from the same number hear that
 * one is pending, and keep or cancel it.
 */
export interface PendingCallback {
  /** E.164: the number Connect will call. */
  readonly number: string;
  /** The inbound contact that asked for it (the callback contact's PreviousContactId). */
  readonly contactId: string;
  readonly queue: string;
  readonly topic?: string;
  readonly requestedAt: string;
  /** After this the request is over whatever happened (every attempt made): a new one may be asked for. */
  readonly until: string;
}

export interface CallbackStore {
  /** The number's callback still pending at `now`, if any. */
  pending(number: string, now: string): Promise<PendingCallback | undefined>;
  /** Writes the request unless one is pending for its number at `now`: then returns that one. */
  request(callback: PendingCallback, now: string): Promise<PendingCallback | undefined>;
  /**
   * Ends the number's pending callback: cancelled by the caller, or its callback contact over (then only the
   * request of that inbound `contactId`). False: none pending.
   */
  end(number: string, now: string, contactId?: string): Promise<boolean>;
  /** Ends the callback the inbound contact `contactId` asked for, its callback contact over; false: none pending. */
  endFor(contactId: string, now: string): Promise<boolean>;
}

/** Stops a callback contact Connect has queued (StopContact); locally, recorded. */
export interface CallbackContacts {
  cancel(request: {
    readonly number: string;
    readonly previousContactId: string;
    readonly requestedAt: string;
  }): Promise<void>;
}

/**
 * The number to call back: the one the caller calls from (nothing keyed, or silence), or the one they key —
 * national digits or with the country code — checked as a dialable E.164 number of the deployment's plan.
 * A number that is neither is an INVALID_INPUT naming `callbackNumber`.
 */
export function callbackNumber(
  keyed: string | undefined,
  callerNumber: string | undefined,
  country: CountryCode,
) {
  const digits = (keyed ?? '').replace(/[\s#*-]/g, '');
  if (!digits || digits === 'Timeout') {
    if (!callerNumber) throw new ValidationError('callbackNumber', 'the caller has no number to call back');
    return normalizePhone(callerNumber, country, 'callbackNumber');
  }
  if (!/^\+?\d{6,15}$/.test(digits)) throw new ValidationError('callbackNumber', 'must be a phone number');
  return normalizePhone(digits, country, 'callbackNumber');
}

/** How long a request can last: the first delay, then every attempt and the wait before the next. */
export function callbackLifetimeSeconds(settings: CallbackSettings): number {
  // An hour a try is generous for the queue: past it, the request no longer blocks a new one.
  return settings.initialDelaySeconds + settings.maxAttempts * (settings.retryDelaySeconds + 3600);
}

export type CallbackRequest =
  | { readonly outcome: 'requested'; readonly callback: PendingCallback }
  | { readonly outcome: 'pending'; readonly callback: PendingCallback };

/** The callbacks of the voice line: ask for one, hear the one pending, cancel it. */
export class CallbackDesk {
  constructor(
    private readonly deps: {
      readonly store: CallbackStore;
      readonly contacts: CallbackContacts;
      readonly clock: Clock;
      readonly settings: CallbackSettings;
      readonly country: CountryCode;
    },
  ) {}

  async pending(callerNumber: string | undefined): Promise<PendingCallback | undefined> {
    if (!callerNumber) return undefined;
    const number = callbackNumber(undefined, callerNumber, this.deps.country);
    return this.deps.store.pending(number, this.deps.clock.now().toISOString());
  }

  /** One pending per number: a second request, from this number or for it, returns the first. */
  async request(input: {
    readonly contactId: string;
    readonly callerNumber?: string;
    readonly keyed?: string;
    readonly queue: string;
    readonly topic?: string;
  }): Promise<CallbackRequest> {
    const number = callbackNumber(input.keyed, input.callerNumber, this.deps.country);
    if (!input.queue) throw new ValidationError('queue', 'a callback waits in a queue');
    const now = this.deps.clock.now();
    const callback: PendingCallback = {
      number,
      contactId: input.contactId,
      queue: input.queue,
      ...(input.topic ? { topic: input.topic } : {}),
      requestedAt: now.toISOString(),
      until: new Date(now.getTime() + callbackLifetimeSeconds(this.deps.settings) * 1000).toISOString(),
    };
    const existing = await this.deps.store.request(callback, now.toISOString());
    return existing ? { outcome: 'pending', callback: existing } : { outcome: 'requested', callback };
  }

  /** The caller's pending callback cancelled (and Connect asked to stop its contact); false: none pending. */
  async cancel(callerNumber: string | undefined): Promise<boolean> {
    const pending = await this.pending(callerNumber);
    if (!pending) return false;
    await this.deps.contacts.cancel({
      number: pending.number,
      previousContactId: pending.contactId,
      requestedAt: pending.requestedAt,
    });
    return this.deps.store.end(pending.number, this.deps.clock.now().toISOString());
  }
}
