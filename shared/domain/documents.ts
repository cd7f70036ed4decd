import { DomainError, NotFoundError, ValidationError } from './errors';

/**
 * Documents a procedure needs before the visit (the catalogue's `documents`), sent by the citizen from their
 * page and reviewed by staff: accepted, or rejected with a reason the citizen reads and a new file in its
 * place. A file is taken for what its bytes say it is — a PDF, a JPEG or a PNG — never for its name.
 */
export const FILE_TYPES = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
} as const;
export type FileType = keyof typeof FILE_TYPES;
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** What a file's first bytes say it is: one of the accepted types, or nothing. */
export function sniffFileType(bytes: Uint8Array): FileType | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'pdf'; // %PDF-
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  return undefined;
}

export const DOCUMENT_STATUSES = ['awaiting-upload', 'in-review', 'accepted', 'rejected'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** One document of a case: the latest file sent for one of the procedure's documents (`kind`). */
export interface CaseDocument {
  readonly ticket: string;
  readonly kind: string;
  readonly citizenId: string;
  readonly status: DocumentStatus;
  /** Where the file is kept: an opaque key, nothing personal in it. */
  readonly key: string;
  readonly fileType?: FileType;
  readonly size?: number;
  /** A rejection's reason, for the citizen. */
  readonly reason?: string;
  readonly reviewedBy?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** Where the files go: presigned uploads to an encrypted bucket in AWS, the local back end locally. */
export interface UploadOffer {
  readonly method: 'POST' | 'PUT';
  readonly url: string;
  /** A POST's form fields, sent before the file; a PUT's headers. */
  readonly fields: Readonly<Record<string, string>>;
  readonly maxBytes: number;
  readonly expiresAt: string;
}
export interface FileStore {
  /** An upload of at most `maxBytes` to `key`, for a short while. */
  offer(key: string, contentType: string, maxBytes: number): Promise<UploadOffer>;
  /** The file's size and first bytes, if it arrived. */
  peek(key: string, bytes: number): Promise<{ size: number; start: Uint8Array } | undefined>;
  /** A short-lived address to read the file (staff reviewing it). */
  link(key: string, contentType: string): Promise<string>;
  remove(key: string): Promise<void>;
}

export interface DocumentStore {
  get(ticket: string, kind: string): Promise<CaseDocument | undefined>;
  list(ticket: string): Promise<CaseDocument[]>;
  /** Saves a document at the version it was read (`undefined`: new); false if it changed meanwhile. */
  save(document: CaseDocument, readVersion: number | undefined): Promise<boolean>;
}

/** The file's bytes are not a PDF, a JPEG or a PNG (whatever it is called), or it is empty or too large. */
export class UnsupportedFileError extends DomainError {
  readonly code = 'UNSUPPORTED_FILE';
}

/** The document cannot change now (accepted already, or changed by someone else meanwhile). */
export class DocumentStateError extends DomainError {
  readonly code = 'DOCUMENT_STATE';
}

export interface DocumentDeps {
  readonly store: DocumentStore;
  readonly files: FileStore;
  readonly now: () => Date;
  /** A new opaque file key. */
  readonly newKey: () => string;
}

/**
 * A new file for one of the case's documents: kept as awaiting its upload, the one it replaces (rejected,
 * or never sent) removed. An accepted document is not replaced.
 */
export async function offerUpload(
  deps: DocumentDeps,
  request: { ticket: string; kind: string; citizenId: string; contentType: string },
): Promise<{ document: CaseDocument; upload: UploadOffer }> {
  if (!Object.values(FILE_TYPES).includes(request.contentType as (typeof FILE_TYPES)[FileType]))
    throw new ValidationError('contentType', 'must be application/pdf, image/jpeg or image/png');
  const current = await deps.store.get(request.ticket, request.kind);
  if (current?.status === 'accepted' || current?.status === 'in-review')
    throw new DocumentStateError(`this document is ${current.status} already`);
  const at = deps.now().toISOString();
  const document: CaseDocument = {
    ticket: request.ticket,
    kind: request.kind,
    citizenId: request.citizenId,
    status: 'awaiting-upload',
    key: deps.newKey(),
    createdAt: current?.createdAt ?? at,
    updatedAt: at,
    version: (current?.version ?? 0) + 1,
    ...(current?.reason ? { reason: current.reason } : {}),
  };
  if (!(await deps.store.save(document, current?.version)))
    throw new DocumentStateError('this document changed meanwhile: try again');
  if (current) await deps.files.remove(current.key);
  return { document, upload: await deps.files.offer(document.key, request.contentType, MAX_DOCUMENT_BYTES) };
}

/**
 * The citizen says the file is sent: its bytes decide. A PDF, JPEG or PNG within the limit goes to review;
 * anything else is removed and refused, naming what is wrong.
 */
export async function fileArrived(deps: DocumentDeps, ticket: string, kind: string): Promise<CaseDocument> {
  const current = await deps.store.get(ticket, kind);
  if (!current) throw new NotFoundError('document');
  if (current.status !== 'awaiting-upload') return current;
  const seen = await deps.files.peek(current.key, 16);
  if (!seen || seen.size === 0) throw new UnsupportedFileError('the file has not arrived: send it again');
  const fileType = sniffFileType(seen.start);
  if (!fileType || seen.size > MAX_DOCUMENT_BYTES) {
    await deps.files.remove(current.key);
    throw new UnsupportedFileError(
      fileType
        ? `the file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`
        : 'the file is not a PDF, JPEG or PNG (its contents say so, whatever its name): send one of those',
    );
  }
  const { reason: _previousReason, ...rest } = current;
  const next: CaseDocument = {
    ...rest,
    status: 'in-review',
    fileType,
    size: seen.size,
    updatedAt: deps.now().toISOString(),
    version: current.version + 1,
  };
  if (!(await deps.store.save(next, current.version)))
    throw new DocumentStateError('this document changed meanwhile: try again');
  return next;
}

/** Staff accept a document in review, or reject it with the reason the citizen reads. */
export async function reviewDocument(
  deps: Pick<DocumentDeps, 'store' | 'now'>,
  request: { ticket: string; kind: string; decision: 'accept' | 'reject'; reason?: string; by: string },
): Promise<CaseDocument> {
  const current = await deps.store.get(request.ticket, request.kind);
  if (!current) throw new NotFoundError('document');
  if (current.status !== 'in-review')
    throw new DocumentStateError(`only a document in review is reviewed; this one is ${current.status}`);
  const reason = request.reason?.trim();
  if (request.decision === 'reject' && (!reason || reason.length < 3))
    throw new ValidationError('reason', 'say why, for the citizen (3 to 300 characters)');
  const { reason: _earlier, ...rest } = current;
  const next: CaseDocument = {
    ...rest,
    status: request.decision === 'accept' ? 'accepted' : 'rejected',
    ...(request.decision === 'reject' ? { reason: reason!.slice(0, 300) } : {}),
    reviewedBy: request.by,
    updatedAt: deps.now().toISOString(),
    version: current.version + 1,
  };
  if (!(await deps.store.save(next, current.version)))
    throw new DocumentStateError('this document changed meanwhile: read it again');
  return next;
}

/** Every document the procedure needs is accepted. */
export const allAccepted = (needed: readonly string[], documents: readonly CaseDocument[]) =>
  needed.every((kind) => documents.some((d) => d.kind === kind && d.status === 'accepted'));
