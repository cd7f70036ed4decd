import { randomBytes } from 'node:crypto';
import { DynamoDocumentStore } from '../adapters/dynamodb/document-store';
import { DynamoPaymentStore } from '../adapters/dynamodb/payment-store';
import type { AppointmentBook } from '../domain/appointment-book';
import type { FileStore } from '../domain/documents';
import type { PaymentGateway } from '../domain/payments';
import type { VisitDeps } from '../domain/visit-requirements';
import { storeTables, type Runtime } from './runtime';

/** A new opaque key for a document's file: nothing of the citizen, the case or the document in it. */
export const newUploadKey = () => `uploads/${randomBytes(18).toString('base64url')}`;

/**
 * What bookings of procedures with documents or a fee wait for, on a function's runtime: the documents and
 * payment requests in the cases table (each ending with its retention term), the gateway when one is
 * configured; with `files`, where the documents' files are. Undefined without a book.
 */
export function visitDepsOf(
  runtime: Runtime,
  book: AppointmentBook | undefined,
  ports: { gateway?: PaymentGateway; returnUrl?: () => string },
): VisitDeps | undefined {
  if (!book) return undefined;
  const { retention } = runtime.config.deployment;
  const cases = storeTables(runtime).cases;
  return {
    book,
    catalogue: runtime.config.catalogue,
    documents: new DynamoDocumentStore(runtime.doc, cases, retention.document.days),
    payments: new DynamoPaymentStore(runtime.doc, cases, retention.case.days),
    ...(ports.gateway ? { gateway: ports.gateway } : {}),
    returnUrl: ports.returnUrl ?? (() => runtime.settings.citizenPageUrl ?? '/citizen/'),
    now: runtime.clock.now,
  };
}

/** The same, with where the documents' files are (none without a file store). */
export function visitWithFilesOf(
  runtime: Runtime,
  book: AppointmentBook | undefined,
  ports: { files?: FileStore; gateway?: PaymentGateway; returnUrl?: () => string },
): (VisitDeps & { readonly files: FileStore; readonly newKey: () => string }) | undefined {
  const visit = visitDepsOf(runtime, book, ports);
  return visit && ports.files ? { ...visit, files: ports.files, newKey: newUploadKey } : undefined;
}
