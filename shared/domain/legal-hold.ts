import type { Actor, Case } from './case';
import { HeldError, NotFoundError } from './errors';
import type { Clock } from './ports';
import type { PrivacyLog, SubjectRecord, SubjectStore } from './subject-access';
import { requestReference, requiredReason } from './text';

export type HoldScope = 'citizen' | 'case';

/**
 * A legal hold: a court order, an inquiry or a claim that requires a citizen's records (or one case's) to be
 * kept whole. While it lasts, retention removes nothing it covers and the citizen cannot be erased.
 */
export interface LegalHold {
  readonly scope: HoldScope;
  /** The citizen id, or the case's ticket. */
  readonly target: string;
  /** The citizen the hold concerns (a case's citizen), whose privacy log records it. */
  readonly citizenId: string;
  /** The order's or request's reference: never personal data. */
  readonly reference: string;
  readonly reason: string;
  readonly placedAt: string;
  readonly placedBy: Actor;
}

export interface HoldStore {
  /** Records the hold; false when the target is already held (the hold in force is left as it is). */
  place(hold: LegalHold): Promise<boolean>;
  /** Ends the hold on the target and returns it; undefined when there was none. */
  release(scope: HoldScope, target: string): Promise<LegalHold | undefined>;
  /** Every hold in force. */
  active(): Promise<readonly LegalHold[]>;
  /**
   * Sets the expiry (TTL) of these records aside (`heldExpiresAt`), so that the database keeps them while the
   * hold lasts; returns how many it was set aside on.
   */
  keep(records: readonly SubjectRecord[]): Promise<number>;
  /** Puts the expiry set aside back on these records (one already past ends them); returns how many. */
  restore(records: readonly SubjectRecord[]): Promise<number>;
}

/** Whether a citizen, or any case of theirs, is held. */
export async function heldCitizen(holds: HoldStore, citizenId: string): Promise<boolean> {
  return (await holds.active()).some((h) => h.citizenId === citizenId);
}

/** The records a hold covers: all the citizen's, or those of the one case (its partition). */
export function recordsHeld(hold: Pick<LegalHold, 'scope' | 'target'>, records: readonly SubjectRecord[]) {
  return hold.scope === 'citizen' ? records : records.filter((r) => r.key.pk === `CASE#${hold.target}`);
}

const has = (r: SubjectRecord, field: string) => r.data[field] !== undefined && r.data[field] !== null;
/** Records under a hold that still carry an expiry: those the hold must set it aside on. */
export const expiring = (records: readonly SubjectRecord[]) => records.filter((r) => has(r, 'expiresAt'));
/** Records whose expiry a hold set aside. */
export const setAside = (records: readonly SubjectRecord[]) => records.filter((r) => has(r, 'heldExpiresAt'));

export interface HoldDeps {
  readonly holds: HoldStore;
  readonly subjects: SubjectStore;
  readonly cases: { byTicket(ticket: string): Promise<Case | undefined> };
  readonly privacy: PrivacyLog;
  readonly clock: Clock;
  readonly newId: () => string;
}

export interface HoldReport {
  readonly hold: LegalHold;
  /** The records the hold covers now. */
  readonly records: number;
  /** Of those, the ones whose expiry was taken off. */
  readonly kept: number;
}

async function citizenOf(deps: HoldDeps, scope: HoldScope, target: string): Promise<string> {
  if (scope === 'citizen') return target;
  const found = await deps.cases.byTicket(target);
  if (!found) throw new NotFoundError('case');
  return found.citizenId;
}

/**
 * Places a legal hold on a citizen or a case, for an order's reference and a reason: the expiry comes off
 * every record it covers at once (the daily sweep takes it off records written later), and the citizen's
 * privacy log records it. Placing it again changes nothing.
 */
export async function placeHold(
  deps: HoldDeps,
  input: { scope: HoldScope; target: string; actor: Actor; reference: unknown; reason: unknown },
): Promise<HoldReport> {
  const reference = requestReference(input.reference);
  const reason = requiredReason(input.reason, 'is required: why the records must be kept');
  const citizenId = await citizenOf(deps, input.scope, input.target);
  const records = await deps.subjects.collect(citizenId);
  if (!records) throw new NotFoundError('citizen');
  const hold: LegalHold = {
    scope: input.scope,
    target: input.target,
    citizenId,
    reference,
    reason,
    placedAt: deps.clock.now().toISOString(),
    placedBy: input.actor,
  };
  // The hold first: from then on the sweep keeps what it covers, even if taking the expiries off stops half way.
  const placed = await deps.holds.place(hold);
  const covered = recordsHeld(hold, records);
  const kept = await deps.holds.keep(expiring(covered));
  if (placed)
    await deps.privacy.record({
      id: deps.newId(),
      at: hold.placedAt,
      actor: input.actor,
      action: 'hold',
      citizenId,
      reason: `${input.scope} ${input.target}: ${reference}`,
      records: covered.length,
    });
  const current = placed ? hold : (await deps.holds.active()).find((h) => sameTarget(h, hold))!;
  return { hold: current, records: covered.length, kept };
}

const sameTarget = (a: Pick<LegalHold, 'scope' | 'target'>, b: Pick<LegalHold, 'scope' | 'target'>) =>
  a.scope === b.scope && a.target === b.target;

/**
 * Releases a hold, for the reference of the decision that ends it. Its records follow the retention schedule
 * again: the expiries set aside go back on (unless another hold still covers the record), and the next sweep
 * removes the cases past their term.
 */
export async function releaseHold(
  deps: HoldDeps,
  input: { scope: HoldScope; target: string; actor: Actor; reference: unknown },
): Promise<LegalHold & { readonly restored: number }> {
  const reference = requestReference(input.reference);
  const released = await deps.holds.release(input.scope, input.target);
  if (!released) throw new NotFoundError('hold');
  const records = (await deps.subjects.collect(released.citizenId)) ?? [];
  const still = (await deps.holds.active()).filter((h) => h.citizenId === released.citizenId);
  const covered = new Set(still.flatMap((h) => recordsHeld(h, records)));
  const restored = await deps.holds.restore(
    setAside(recordsHeld(released, records)).filter((r) => !covered.has(r)),
  );
  await deps.privacy.record({
    id: deps.newId(),
    at: deps.clock.now().toISOString(),
    actor: input.actor,
    action: 'hold-released',
    citizenId: released.citizenId,
    reason: `${input.scope} ${input.target}: ${reference}`,
    records: restored,
  });
  return { ...released, restored };
}

/** Refuses what a hold forbids (an erasure) for a held citizen or one with a held case. */
export async function refuseIfHeld(holds: HoldStore, citizenId: string): Promise<void> {
  if (await heldCitizen(holds, citizenId)) throw new HeldError('the citizen');
}
