/**
 * Typed errors of the domain. Every error carries a stable `code` that entry points map to an HTTP
 * status, a Connect `outcome` or a failed stream record. Messages never contain personal data.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that does not meet the rules; `field` names the offending field (a dotted path). */
export class ValidationError extends DomainError {
  readonly code = 'INVALID_INPUT';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** A ticket number that is malformed or fails its check digit. */
export class InvalidTicketError extends DomainError {
  readonly code = 'INVALID_TICKET';
  constructor(reason: string) {
    super(`ticket: ${reason}`);
  }
}

/** A case status change that the state machine forbids. */
export class IllegalTransitionError extends DomainError {
  readonly code = 'ILLEGAL_TRANSITION';
  constructor(
    readonly from: string,
    readonly to: string,
    reason = 'not allowed',
  ) {
    super(`case cannot go from ${from} to ${to}: ${reason}`);
  }
}

/** An optimistic-concurrency check failed: someone else changed the record first. */
export class VersionConflictError extends DomainError {
  readonly code = 'VERSION_CONFLICT';
  constructor(
    readonly entity: string,
    readonly expectedVersion: number,
  ) {
    super(`${entity} changed since version ${expectedVersion}`);
  }
}

/** An identity (phone, email, document) that already belongs to another citizen. */
export class IdentityTakenError extends DomainError {
  readonly code = 'IDENTITY_TAKEN';
  constructor(
    readonly identityKind: string,
    readonly ownerCitizenId: string,
  ) {
    super(`${identityKind.toLowerCase()} identity already belongs to citizen ${ownerCitizenId}`);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(readonly entity: string) {
    super(`${entity} not found`);
  }
}

/** The actor's role may not perform this action. */
export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  constructor(action: string) {
    super(`not allowed to ${action}`);
  }
}

/** A record kept after its citizen's erasure: an administrator reads it with a reason; no one changes it. */
export class BlockedError extends DomainError {
  readonly code = 'BLOCKED';
  constructor(what: string) {
    super(`${what} is blocked: its citizen's data was erased; an administrator may read it, giving a reason`);
  }
}

/** A citizen or case under a legal hold: kept whole, neither erased nor removed by retention, until released. */
export class HeldError extends DomainError {
  readonly code = 'HELD';
  constructor(what: string) {
    super(`${what} is under a legal hold: release the hold first`);
  }
}

/** Configuration that fails validation; `path` names the bad field. */
export class ConfigError extends DomainError {
  readonly code = 'INVALID_CONFIG';
  constructor(
    readonly source: string,
    readonly path: string,
    reason: string,
  ) {
    super(`${source}: ${path || '(root)'}: ${reason}`);
  }
}

/** A freshly drawn ticket number is already in use; the caller draws another. */
export class TicketCollisionError extends DomainError {
  readonly code = 'TICKET_COLLISION';
  constructor() {
    super('ticket number already in use');
  }
}

/**
 * A concurrent write changed what this one was based on (another contact created the citizen or the
 * case first). The use case starts over from a fresh read.
 */
export class ConcurrentChangeError extends DomainError {
  readonly code = 'CONCURRENT_CHANGE';
  constructor(what: string) {
    super(`${what} changed concurrently`);
  }
}

/** The citizen already has an open case on this topic; append to it instead. */
export class OpenCaseExistsError extends DomainError {
  readonly code = 'OPEN_CASE_EXISTS';
  constructor(readonly topicId: string) {
    super(`an open case on topic "${topicId}" already exists for this citizen`);
  }
}

/** Two citizens that cannot be merged as they stand, or a link that would contradict a citizen; says why. */
export class MergeConflictError extends DomainError {
  readonly code = 'MERGE_CONFLICT';
  constructor(reason: string) {
    super(reason);
  }
}

/** No way to send on this channel here (no number configured for it): the message waits for a person. */
export class MessagingUnavailableError extends DomainError {
  readonly code = 'MESSAGING_UNAVAILABLE';
  constructor(readonly channel: string) {
    super(`no sender is configured for ${channel}`);
  }
}
