import type { Language } from './citizen';
import { DomainError, ValidationError } from './errors';
import type { MessageSender } from './messaging';
import type { Clock } from './ports';

/**
 * A citizen signs in to their own page by proving they hold a phone: a six-digit code sent to it by SMS or
 * WhatsApp, short-lived and single-use. Sign-in never says whether the number is known (every accepted request
 * is answered alike, and a code goes to any valid number), so the page cannot be used to learn who is a
 * citizen. Requests are limited per number and per address; wrong codes lock the number for a while.
 */
export const ACCESS_RULES = {
  codeSeconds: 5 * 60,
  /** Codes asked for one number in an hour, and from one address. */
  codesPerPhone: 5,
  codesPerAddress: 20,
  windowSeconds: 3600,
  /** Wrong codes for a number (within the hour from the first) before it is locked, and for how long. */
  wrongCodes: 5,
  lockSeconds: 15 * 60,
  sessionSeconds: 30 * 60,
} as const;

export type CodeChannel = 'SMS' | 'WHATSAPP';

/** A code as kept: only its digest, never the code. */
export interface KeptCode {
  readonly digest: string;
  readonly channel: CodeChannel;
  readonly language: Language;
  readonly expiresAt: string;
}

/** A signed-in citizen's session, kept under its token's digest. */
export interface CitizenSession {
  /** The phone proven, E.164: the citizen is whoever holds it on record. */
  readonly phone: string;
  readonly channel: CodeChannel;
  readonly language: Language;
  readonly expiresAt: string;
}

export interface CitizenAccessStore {
  /**
   * Counts one more event under `key`, in a window that starts at its first event and lasts `seconds`;
   * answers the count in the window so far (this one included).
   */
  count(key: string, seconds: number, now: Date): Promise<number>;
  /** Forgets a count (a number that signed in starts again from zero). */
  forget(key: string): Promise<void>;
  keepCode(phone: string, code: KeptCode): Promise<void>;
  code(phone: string): Promise<KeptCode | undefined>;
  /** Removes the number's code, only if it is still the one read (a code is used once): false otherwise. */
  useCode(phone: string, digest: string): Promise<boolean>;
  dropCode(phone: string): Promise<void>;
  lock(phone: string, until: Date): Promise<void>;
  lockedUntil(phone: string): Promise<string | undefined>;
  keepSession(digest: string, session: CitizenSession): Promise<void>;
  session(digest: string): Promise<CitizenSession | undefined>;
  endSession(digest: string): Promise<void>;
}

/** Random codes and tokens, and a one-way digest of them: the operating system's generator in every adapter. */
export interface AccessSecrets {
  /** Six decimal digits, uniformly drawn. */
  code(): string;
  /** An unguessable session token (at least 128 bits), URL-safe. */
  token(): string;
  digest(value: string): string;
  /** Compares two digests in constant time. */
  same(a: string, b: string): boolean;
}

export interface CitizenAccessDeps {
  readonly store: CitizenAccessStore;
  readonly secrets: AccessSecrets;
  readonly sender: MessageSender;
  readonly clock: Clock;
  /** A valid number in E.164, from what the citizen typed (the deployment's country by default). */
  readonly phoneOf: (raw: string) => string;
  /** Whether messages may go to the number (the deployment's `outbound.countries`). */
  readonly reachable?: (phone: string) => boolean;
  readonly newId: () => string;
}

/** Too many requests: from this number or this address, or too many wrong codes. */
export class TooManyRequestsError extends DomainError {
  readonly code = 'TOO_MANY_REQUESTS';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The code typed is not the one sent, or it expired, or it was used. */
export class WrongCodeError extends DomainError {
  readonly code = 'WRONG_CODE';
  constructor(readonly attemptsLeft: number) {
    super(`the code is wrong or has expired: ${attemptsLeft} attempts left before the number is locked`);
  }
}

/** No session, or it ended: the citizen signs in again. */
export class SignedOutError extends DomainError {
  readonly code = 'SIGNED_OUT';
  constructor() {
    super('sign in again: the session has ended');
  }
}

const CODE_TEXT: Record<Language, (code: string, minutes: number) => string> = {
  es: (code, minutes) =>
    `Su código de Ventanilla es ${code}. Caduca en ${minutes} minutos. No lo comparta con nadie.`,
  en: (code, minutes) =>
    `Your Ventanilla code is ${code}. It expires in ${minutes} minutes. Do not share it with anyone.`,
};

const secondsUntil = (until: string, now: Date) =>
  Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000));

async function refuseLocked(deps: CitizenAccessDeps, phone: string, now: Date): Promise<void> {
  const until = await deps.store.lockedUntil(phone);
  if (until && Date.parse(until) > now.getTime())
    throw new TooManyRequestsError(
      'this number is locked after too many wrong codes: wait and ask for a new code',
      secondsUntil(until, now),
    );
}

/**
 * Sends a sign-in code to a number. The answer is the same whether or not the number is a citizen's; a number
 * that asked too often, an address that did, or a locked number is refused (429) before anything is sent.
 */
export async function requestCode(
  deps: CitizenAccessDeps,
  request: { phone: string; channel: CodeChannel; language: Language; from: string },
): Promise<{ expiresInSeconds: number }> {
  const phone = deps.phoneOf(request.phone);
  // Only where this administration sends messages: a code to a far country's number is a toll, not a sign-in.
  if (deps.reachable && !deps.reachable(phone))
    throw new ValidationError('phone', 'codes are sent only to numbers of the countries this service serves');
  const now = deps.clock.now();
  await refuseLocked(deps, phone, now);
  const { windowSeconds } = ACCESS_RULES;
  if ((await deps.store.count(`CODEFROM#${request.from}`, windowSeconds, now)) > ACCESS_RULES.codesPerAddress)
    throw new TooManyRequestsError('too many codes asked from this address: try again later', windowSeconds);
  if ((await deps.store.count(`CODEFOR#${phone}`, windowSeconds, now)) > ACCESS_RULES.codesPerPhone)
    throw new TooManyRequestsError('too many codes asked for this number: try again later', windowSeconds);
  const code = deps.secrets.code();
  await deps.store.keepCode(phone, {
    digest: deps.secrets.digest(`${phone}#${code}`),
    channel: request.channel,
    language: request.language,
    expiresAt: new Date(now.getTime() + ACCESS_RULES.codeSeconds * 1000).toISOString(),
  });
  await deps.sender.send({
    id: `code-${deps.newId()}`,
    channel: request.channel,
    to: phone,
    language: request.language,
    text: CODE_TEXT[request.language](code, ACCESS_RULES.codeSeconds / 60),
  });
  return { expiresInSeconds: ACCESS_RULES.codeSeconds };
}

/**
 * Checks a code: right (and unexpired, unused) starts a session and answers its token, which is kept only as
 * a digest; wrong counts against the number, and the last allowed wrong code locks it.
 */
export async function signIn(
  deps: CitizenAccessDeps,
  request: { phone: string; code: string },
): Promise<{ token: string; expiresAt: string; language: Language }> {
  const phone = deps.phoneOf(request.phone);
  if (!/^\d{6}$/.test(request.code)) throw new ValidationError('code', 'must be the six digits received');
  const now = deps.clock.now();
  await refuseLocked(deps, phone, now);
  const kept = await deps.store.code(phone);
  const right =
    kept !== undefined &&
    Date.parse(kept.expiresAt) > now.getTime() &&
    deps.secrets.same(kept.digest, deps.secrets.digest(`${phone}#${request.code}`)) &&
    (await deps.store.useCode(phone, kept.digest));
  if (!right) {
    const wrong = await deps.store.count(`WRONGCODE#${phone}`, ACCESS_RULES.windowSeconds, now);
    if (wrong >= ACCESS_RULES.wrongCodes) {
      const until = new Date(now.getTime() + ACCESS_RULES.lockSeconds * 1000);
      await deps.store.lock(phone, until);
      await deps.store.dropCode(phone);
      throw new TooManyRequestsError(
        'too many wrong codes: this number is locked for a while; then ask for a new code',
        ACCESS_RULES.lockSeconds,
      );
    }
    throw new WrongCodeError(ACCESS_RULES.wrongCodes - wrong);
  }
  await deps.store.forget(`WRONGCODE#${phone}`);
  const token = deps.secrets.token();
  const expiresAt = new Date(now.getTime() + ACCESS_RULES.sessionSeconds * 1000).toISOString();
  await deps.store.keepSession(deps.secrets.digest(token), {
    phone,
    channel: kept.channel,
    language: kept.language,
    expiresAt,
  });
  return { token, expiresAt, language: kept.language };
}

/** The session a token opens, while it lasts; SignedOutError otherwise. */
export async function sessionOf(
  deps: Pick<CitizenAccessDeps, 'store' | 'secrets' | 'clock'>,
  token: string | undefined,
): Promise<CitizenSession> {
  if (!token || token.length > 200) throw new SignedOutError();
  const session = await deps.store.session(deps.secrets.digest(token));
  if (!session || Date.parse(session.expiresAt) <= deps.clock.now().getTime()) throw new SignedOutError();
  return session;
}

export async function signOut(deps: Pick<CitizenAccessDeps, 'store' | 'secrets'>, token: string) {
  await deps.store.endSession(deps.secrets.digest(token));
}
