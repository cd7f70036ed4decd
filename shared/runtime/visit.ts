import { randomBytes } from 'node:crypto';
import { DynamoDocumentStore } from '../adapters/dynamodb/document-store';
import { DynamoPaymentStore } from '../adapters/dynamodb/payment-store';
import type { AppointmentBook } from '../domain/appointment-book';
import type { FileStore } from '../domain/documents';
import type { PaymentGateway } from '../domain/payments';
import type { VisitDeps } from '../domain/visit-requirements';
import { storeTables, type Runtime } from './runtime';

/**
 * What bookings of procedures with documents or a fee wait for, on a function's runtime: the documents and
 * payment requests in the cases table (each ending with its retention term), the files where `files` keeps
 * them, the gateway when one is configured. Undefined without a book or a file store.
 */
export function visitDepsOf(
  runtime: Runtime,
  book: AppointmentBook | undefined,
  ports: { files?: FileStore; gateway?: PaymentGateway; returnUrl?: () => string },
): (VisitDeps & { readonly files: FileStore; readonly newKey: () => string }) | undefined {
  if (!book || !ports.files) return undefined;
  const { retention } = runtime.config.deployment;
  const cases = storeTables(runtime).cases;
  return {
    book,
    catalogue: runtime.config.catalogue,
    documents: new DynamoDocumentStore(runtime.doc, cases, retention.document.days),
    payments: new DynamoPaymentStore(runtime.doc, cases, retention.case.days),
    ...(ports.gateway ? { gateway: ports.gateway } : {}),
    files: ports.files,
    returnUrl: ports.returnUrl ?? (() => runtime.settings.citizenPageUrl ?? '/citizen/'),
    now: runtime.clock.now,
    // Opaque: nothing of the citizen, the case or the document in a file's name.
    newKey: () => `uploads/${randomBytes(18).toString('base64url')}`,
  };
}
