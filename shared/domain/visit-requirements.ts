import type { AppointmentBook } from './appointment-book';
import type { Booking } from './appointments';
import { hasRequirements, type Catalogue, type CatalogueEntry } from './catalogue';
import type { Language } from './citizen';
import { allAccepted, type CaseDocument, type DocumentStatus, type DocumentStore } from './documents';
import { ValidationError } from './errors';
import {
  movePayment,
  newPaymentRequest,
  type PaymentGateway,
  type PaymentRequest,
  type PaymentStatus,
  type PaymentStore,
} from './payments';

/**
 * What a booking of a procedure with documents or a fee waits for before it is confirmed: each document
 * accepted by staff, the fee paid. Until then the place is held, at most until a day before the visit (so the
 * office knows who comes); then it is confirmed, and the citizen told, like any booking.
 */
export const REQUIREMENTS_DUE_HOURS = 24;

export interface VisitDeps {
  readonly book: AppointmentBook;
  readonly catalogue: Catalogue;
  readonly documents: DocumentStore;
  readonly payments: PaymentStore;
  readonly gateway?: PaymentGateway;
  /** Where the gateway sends the citizen back after paying (the citizen's page). */
  readonly returnUrl: () => string;
  readonly now: () => Date;
}

/** Until when a booking's requirements may be met: a day before its start. */
export const requirementsDue = (start: string) =>
  new Date(Date.parse(start) - REQUIREMENTS_DUE_HOURS * 3_600_000);

/** The place is held until the requirements are due; a start too soon for that is refused, naming the field. */
export function holdUntilFor(topic: CatalogueEntry, start: string, now: Date): Date | undefined {
  if (!hasRequirements(topic)) return undefined;
  const due = requirementsDue(start);
  if (due.getTime() < now.getTime() + 3_600_000)
    throw new ValidationError(
      'start',
      `this procedure needs its documents accepted and its fee paid a day before the visit: choose a time after ${new Date(
        now.getTime() + (REQUIREMENTS_DUE_HOURS + 1) * 3_600_000,
      ).toISOString()}`,
    );
  return due;
}

export const paymentIdOf = (bookingId: string) => `pay-${bookingId}`;

export interface VisitRequirements {
  readonly bookingId: string;
  readonly ticket?: string;
  readonly status: Booking['status'];
  /** When the place is let go if the requirements are not met. */
  readonly dueBy?: string;
  readonly documents: readonly {
    readonly kind: string;
    readonly name: string;
    readonly status: DocumentStatus;
    readonly reason?: string;
    readonly fileType?: string;
  }[];
  readonly fee?: {
    readonly concept: string;
    readonly amount: number;
    readonly currency: string;
    readonly status: PaymentStatus;
    readonly payUrl?: string;
  };
  /** Every requirement met. */
  readonly ready: boolean;
}

export async function requirementsOf(
  deps: VisitDeps,
  booking: Booking,
  language: Language,
  /** The case's documents, when the caller has read them already. */
  read?: readonly CaseDocument[],
): Promise<VisitRequirements> {
  const topic = deps.catalogue.get(booking.slot.topicId);
  const kinds = topic?.documents ?? [];
  const documents = read ?? (booking.ticket && kinds.length ? await deps.documents.list(booking.ticket) : []);
  const payment = topic?.fee ? await deps.payments.get(paymentIdOf(booking.id)) : undefined;
  const feePaid = !topic?.fee || payment?.status === 'PAID';
  return {
    bookingId: booking.id,
    ...(booking.ticket ? { ticket: booking.ticket } : {}),
    status: booking.status,
    ...(booking.status === 'held' && booking.holdUntil ? { dueBy: booking.holdUntil } : {}),
    documents: kinds.map((k) => {
      const d = documents.find((x) => x.kind === k.id);
      return {
        kind: k.id,
        name: k.name[language],
        status: d?.status ?? 'awaiting-upload',
        ...(d?.reason && d.status === 'rejected' ? { reason: d.reason } : {}),
        ...(d?.fileType ? { fileType: d.fileType } : {}),
      };
    }),
    ...(topic?.fee
      ? {
          fee: {
            concept: topic.fee.concept[language],
            amount: topic.fee.amount,
            currency: topic.fee.currency,
            status: payment?.status ?? 'CREATED',
            ...(payment?.checkout && !['PAID', 'CANCELLED', 'EXPIRED'].includes(payment.status)
              ? { payUrl: payment.checkout.url }
              : {}),
          },
        }
      : {}),
    ready:
      allAccepted(
        kinds.map((k) => k.id),
        documents,
      ) && feePaid,
  };
}

/**
 * The fee of a booking: its payment request (made once; the same again on a retry), with the gateway's
 * checkout opened and the request marked as sent. Answers it as it is.
 */
export async function feeOf(deps: VisitDeps, booking: Booking): Promise<PaymentRequest | undefined> {
  const topic = deps.catalogue.get(booking.slot.topicId);
  if (!topic?.fee || !booking.ticket) return undefined;
  const id = paymentIdOf(booking.id);
  let request = await deps.payments.get(id);
  if (!request) {
    const made = {
      ...newPaymentRequest(
        {
          ticket: booking.ticket,
          concept: topic.fee.concept[booking.language],
          amount: topic.fee.amount,
          currency: topic.fee.currency,
          expiresAt: (booking.holdUntil
            ? new Date(booking.holdUntil)
            : requirementsDue(booking.slot.start)
          ).toISOString(),
        },
        id,
        deps.now(),
      ),
      bookingId: booking.id,
    };
    if (!(await deps.payments.save(made, undefined))) request = await deps.payments.get(id);
    else request = made;
  }
  if (request && !request.checkout && deps.gateway && request.status === 'CREATED') {
    // A gateway that cannot be reached now leaves the request as it is: the next look at it tries again.
    const checkout = await deps.gateway.checkout(request, deps.returnUrl()).catch(() => undefined);
    if (!checkout) return request;
    const sent = {
      ...movePayment(request, 'SENT', deps.now()),
      checkout,
      version: (request.version ?? 1) + 1,
    };
    if (await deps.payments.save(sent, request.version ?? 1)) request = sent;
    else request = await deps.payments.get(id);
  }
  return request;
}

/** Confirms a held booking whose requirements are all met (the citizen is then told, as for any booking). */
export async function settleBooking(deps: VisitDeps, bookingId: string): Promise<Booking | undefined> {
  const booking = await deps.book.store.byId(bookingId);
  if (!booking || booking.status !== 'held') return booking;
  const topic = deps.catalogue.get(booking.slot.topicId);
  if (!topic || !hasRequirements(topic)) return booking;
  if (!(await requirementsOf(deps, booking, booking.language)).ready) return booking;
  return deps.book.confirm(booking.id, { by: 'system', channel: 'system' });
}

/**
 * A booking with a fee let go (cancelled, or its hold run out): its payment request is cancelled, so a payment
 * that still comes is kept as money to give back (`refundDue`), never as a paid booking.
 */
export async function dropFee(deps: Pick<VisitDeps, 'payments' | 'now'>, bookingId: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const request = await deps.payments.get(paymentIdOf(bookingId));
    if (!request || !['CREATED', 'SENT', 'FAILED'].includes(request.status)) return;
    const version = request.version ?? 1;
    const cancelled = { ...movePayment(request, 'CANCELLED', deps.now()), version: version + 1 };
    if (await deps.payments.save(cancelled, version)) return;
  }
}

/** A payment for a booking that ended meanwhile (its hold ran out): money taken, to give back. */
export async function refundIfEnded(
  deps: Pick<VisitDeps, 'payments' | 'book'>,
  request: PaymentRequest,
): Promise<boolean> {
  if (request.status !== 'PAID' || !request.bookingId || request.refundDue) return false;
  const booking = await deps.book.store.byId(request.bookingId);
  if (booking && ['held', 'booked', 'reminded', 'checked-in', 'served'].includes(booking.status))
    return false;
  const version = request.version ?? 1;
  return deps.payments.save({ ...request, refundDue: true, version: version + 1 }, version);
}
