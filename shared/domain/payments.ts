import { ValidationError } from './errors';
import { cleanText } from './text';

/**
 * A fee asked of a citizen by payment link: created, sent (by message or on the citizen's page), then paid,
 * failed, expired or cancelled. Ventanilla never sees a card: a hosted checkout takes the payment and tells
 * the outcome by a signed event, which `applyGatewayEvent` turns into the request's next state.
 */
export const PAYMENT_STATUSES = ['CREATED', 'SENT', 'PAID', 'EXPIRED', 'FAILED', 'CANCELLED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface PaymentRequest {
  readonly id: string;
  /** The case the fee belongs to. */
  readonly ticket: string;
  readonly concept: string;
  /** In the currency's minor unit (cents): never a float. */
  readonly amount: number;
  /** ISO 4217, e.g. "USD", "PAB". */
  readonly currency: string;
  readonly status: PaymentStatus;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly updatedAt: string;
  /** The gateway events already applied (by id): a redelivery changes nothing. */
  readonly events: readonly string[];
  /** A payment that arrived for a cancelled request: money taken that staff must give back. */
  readonly refundDue?: boolean;
  /** The booking it must be paid before, when it is a booking's fee. */
  readonly bookingId?: string;
  /** The gateway's hosted checkout for it: where the citizen pays (its address carries nothing personal). */
  readonly checkout?: { readonly url: string; readonly reference: string };
  /** Events whose amount or currency was not the request's: staff look at them. */
  readonly mismatches?: number;
  /** Optimistic-concurrency version. */
  readonly version?: number;
}

/** The longest a payment link may stay open. */
export const MAX_PAYMENT_DAYS = 30;
const MAX_AMOUNT = 100_000_000;

export function newPaymentRequest(
  input: { ticket: string; concept: string; amount: number; currency: string; expiresAt: string },
  id: string,
  now: Date,
): PaymentRequest {
  const concept = cleanText(input.concept);
  if (!concept) throw new ValidationError('concept', 'is required');
  if (concept.length > 120) throw new ValidationError('concept', 'must be at most 120 characters');
  if (!Number.isInteger(input.amount) || input.amount <= 0 || input.amount > MAX_AMOUNT)
    throw new ValidationError('amount', `must be a whole number of cents from 1 to ${MAX_AMOUNT}`);
  if (!/^[A-Z]{3}$/.test(input.currency))
    throw new ValidationError('currency', 'must be an ISO 4217 code such as "USD"');
  const expires = Date.parse(input.expiresAt);
  if (Number.isNaN(expires)) throw new ValidationError('expiresAt', 'must be an ISO date and time');
  if (expires <= now.getTime()) throw new ValidationError('expiresAt', 'must be in the future');
  if (expires > now.getTime() + MAX_PAYMENT_DAYS * 86_400_000)
    throw new ValidationError('expiresAt', `must be within ${MAX_PAYMENT_DAYS} days`);
  const at = now.toISOString();
  return {
    id,
    ticket: input.ticket,
    concept,
    amount: input.amount,
    currency: input.currency,
    status: 'CREATED',
    createdAt: at,
    expiresAt: new Date(expires).toISOString(),
    updatedAt: at,
    events: [],
    version: 1,
  };
}

/** What the gateway says happened to a payment, once its signature is verified. */
export interface GatewayEvent {
  readonly id: string;
  readonly paymentId: string;
  readonly type: 'paid' | 'failed' | 'expired';
  readonly amount: number;
  readonly currency: string;
  readonly at: string;
}

export type EventOutcome =
  /** The request moved. */
  | 'applied'
  /** This event was applied before: nothing changes. */
  | 'duplicate'
  /** An event the request's state has moved past (a failure after the payment): nothing changes. */
  | 'stale'
  /** The amount or currency is not the request's: nothing changes, and staff look at it. */
  | 'mismatch'
  /** Paid after it was cancelled: recorded as money to give back; the request stays cancelled. */
  | 'refund';

/** From which states each event moves a request. A payment is always recorded: money taken is never lost. */
const MOVES: Readonly<Record<GatewayEvent['type'], { to: PaymentStatus; from: readonly PaymentStatus[] }>> = {
  paid: { to: 'PAID', from: ['CREATED', 'SENT', 'FAILED', 'EXPIRED'] },
  failed: { to: 'FAILED', from: ['CREATED', 'SENT'] },
  expired: { to: 'EXPIRED', from: ['CREATED', 'SENT', 'FAILED'] },
};

/**
 * A gateway event applied to its request, whatever order and however often events arrive: a duplicate or an
 * event the state has moved past changes nothing; an amount or currency other than the request's changes
 * nothing (never a false "paid"); a payment after a cancellation is kept as a refund due.
 */
export function applyGatewayEvent(
  request: PaymentRequest,
  event: GatewayEvent,
): { request: PaymentRequest; outcome: EventOutcome } {
  if (event.paymentId !== request.id) throw new ValidationError('paymentId', 'is not this request');
  if (request.events.includes(event.id)) return { request, outcome: 'duplicate' };
  if (event.amount !== request.amount || event.currency !== request.currency)
    return { request, outcome: 'mismatch' };
  const seen = { events: [...request.events, event.id], updatedAt: event.at };
  if (event.type === 'paid' && request.status === 'CANCELLED')
    return { request: { ...request, ...seen, refundDue: true }, outcome: 'refund' };
  const move = MOVES[event.type];
  if (!move.from.includes(request.status)) return { request: { ...request, ...seen }, outcome: 'stale' };
  return { request: { ...request, ...seen, status: move.to }, outcome: 'applied' };
}

/** Staff's or the system's own moves: sent once the link is out, cancelled, expired by the clock. */
export function movePayment(
  request: PaymentRequest,
  to: 'SENT' | 'CANCELLED' | 'EXPIRED',
  now: Date,
): PaymentRequest {
  const allowed: Readonly<Record<typeof to, readonly PaymentStatus[]>> = {
    SENT: ['CREATED'],
    CANCELLED: ['CREATED', 'SENT', 'FAILED'],
    EXPIRED: ['CREATED', 'SENT', 'FAILED'],
  };
  if (!allowed[to].includes(request.status))
    throw new ValidationError('status', `a ${request.status} payment request cannot become ${to}`);
  if (to === 'EXPIRED' && now.getTime() < Date.parse(request.expiresAt))
    throw new ValidationError('status', 'the payment link has not run out yet');
  return { ...request, status: to, updatedAt: now.toISOString() };
}

/** The payment requests, each one item saved at the version it was read. */
export interface PaymentStore {
  get(id: string): Promise<PaymentRequest | undefined>;
  /** Saves at the version read (`undefined`: new); false if it changed meanwhile. */
  save(request: PaymentRequest, readVersion: number | undefined): Promise<boolean>;
  /** Requests not settled yet (CREATED, SENT, FAILED), for the nightly reconciliation. */
  open(limit: number): Promise<PaymentRequest[]>;
}

/** A hosted checkout: Ventanilla never sees a card. */
export interface PaymentGateway {
  /** Opens (or finds again) the checkout of a request: the address the citizen pays at. */
  checkout(request: PaymentRequest, returnUrl: string): Promise<{ url: string; reference: string }>;
  /** What the gateway says happened to a request, when something did (the reconciliation asks). */
  latest(request: PaymentRequest): Promise<GatewayEvent | undefined>;
}

const PAYMENT_ATTEMPTS = 4;

/**
 * Applies a gateway event to its request and saves it, retrying on a concurrent change (two events at once):
 * every event is applied once, in whatever order they come. Undefined for an event of no known request.
 */
export async function recordGatewayEvent(
  store: PaymentStore,
  event: GatewayEvent,
): Promise<{ request: PaymentRequest; outcome: EventOutcome } | undefined> {
  for (let attempt = 0; attempt < PAYMENT_ATTEMPTS; attempt++) {
    const current = await store.get(event.paymentId);
    if (!current) return undefined;
    const applied = applyGatewayEvent(current, event);
    const next =
      applied.outcome === 'mismatch'
        ? { ...current, mismatches: (current.mismatches ?? 0) + 1, updatedAt: event.at }
        : applied.request;
    if (applied.outcome === 'duplicate') return applied;
    const version = current.version ?? 1;
    if (await store.save({ ...next, version: version + 1 }, version)) return { ...applied, request: next };
  }
  throw new ValidationError('paymentId', 'changed too often at once: the gateway will send it again');
}

/**
 * The nightly reconciliation: for each request still open, asks the gateway what happened and applies it (a
 * webhook lost on the way is caught up); a link past its expiry with nothing paid expires. Answers the counts.
 */
export async function reconcilePayments(
  deps: { store: PaymentStore; gateway: PaymentGateway; now: () => Date },
  limit = 500,
): Promise<{ asked: number; applied: number; expired: number; settled: string[] }> {
  let applied = 0;
  let expired = 0;
  const settled: string[] = [];
  const open = await deps.store.open(limit);
  for (const request of open) {
    const event = request.checkout ? await deps.gateway.latest(request) : undefined;
    if (event) {
      const result = await recordGatewayEvent(deps.store, event);
      if (result?.outcome === 'applied') {
        applied++;
        settled.push(request.id);
      }
      if (result && result.request.status !== 'CREATED' && result.request.status !== 'SENT') continue;
    }
    const now = deps.now();
    if (now.getTime() >= Date.parse(request.expiresAt)) {
      const current = (await deps.store.get(request.id)) ?? request;
      if (!['CREATED', 'SENT', 'FAILED'].includes(current.status)) continue;
      const next = movePayment(current, 'EXPIRED', now);
      const version = current.version ?? 1;
      if (await deps.store.save({ ...next, version: version + 1 }, version)) {
        expired++;
        settled.push(request.id);
      }
    }
  }
  return { asked: open.length, applied, expired, settled };
}
