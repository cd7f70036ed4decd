import type { Clock } from './ports';
import type { Identity } from './identity';
import type { ScreenPopSummary } from './screen-pop';

/**
 * A phone number is not a password: caller ID is easily forged. A caller proves to be the citizen on record
 * with a second factor only the citizen has — the document on record, keyed on the phone — and only then
 * hears personal data (their name, their cases' topics, an answer). Failed attempts are counted per number
 * per local day; after the deployment's limit the number is sent to an agent for the rest of the day.
 */
export interface VerificationStore {
  /** Failed attempts from the number on the day. */
  failures(phone: Identity, day: string): Promise<number>;
  /** Counts one more failed attempt; answers the new count. */
  countFailure(phone: Identity, day: string): Promise<number>;
  /** Remembers, for the rest of the contact (a day at most), which citizen its caller proved to be. */
  markVerified(contactId: string, citizenId: string, at: Date): Promise<void>;
  /** The citizen the contact's caller proved to be, if they did. */
  verifiedCitizen(contactId: string): Promise<string | undefined>;
}

export interface VerificationDeps {
  readonly store: VerificationStore;
  readonly clock: Clock;
  readonly maxFailuresPerDay: number;
  /** The deployment's local date of an instant. */
  readonly dayOf: (at: Date) => string;
}

/**
 * VERIFIED: the keyed document is the one on record. WRONG: it is not (counted). LOCKED: too many failures
 * from the number today (nothing is compared). CANNOT_VERIFY: no number, no citizen for it, or nothing on
 * record a phone keypad can key — an agent verifies instead.
 */
export type VerificationOutcome = 'VERIFIED' | 'WRONG' | 'LOCKED' | 'CANNOT_VERIFY';

/** What a keypad can say of a document: its digits ("8-123-456" → "8123456"). */
const keyable = (value: string) => value.replace(/\D/g, '');

/** Compares without stopping at the first different digit. */
function sameDigits(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export async function verifyCaller(
  deps: VerificationDeps,
  req: {
    readonly phone?: Identity;
    readonly summary?: ScreenPopSummary;
    readonly contactId: string;
    readonly keyed: string;
  },
): Promise<VerificationOutcome> {
  const { phone, summary } = req;
  if (!phone || phone.kind !== 'PHONE' || !summary) return 'CANNOT_VERIFY';
  const document = summary.identities.find((i) => i.kind === 'DOCUMENT');
  // A document value is "<type>#<number>"; one with letters cannot be keyed whole: no proof by keypad then.
  const number = document?.value.slice(document.value.indexOf('#') + 1) ?? '';
  const expected = keyable(number);
  if (!expected || expected.length !== number.replace(/[\s.-]/g, '').length) return 'CANNOT_VERIFY';
  const now = deps.clock.now();
  const day = deps.dayOf(now);
  if ((await deps.store.failures(phone, day)) >= deps.maxFailuresPerDay) return 'LOCKED';
  if (sameDigits(keyable(req.keyed), expected)) {
    await deps.store.markVerified(req.contactId, summary.citizenId, now);
    return 'VERIFIED';
  }
  const failures = await deps.store.countFailure(phone, day);
  return failures >= deps.maxFailuresPerDay ? 'LOCKED' : 'WRONG';
}
