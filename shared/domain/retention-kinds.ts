/**
 * The kinds of record a retention schedule gives a term to, each counted from its own moment (docs/retention.md)
 * and enforced where it is kept (`RETENTION_BY`): DynamoDB's TTL or the bucket's lifecycle where an item's
 * end is known when it is written, the daily sweep where it is not (a case's end is its closure).
 */
export const RETENTION_KINDS = [
  'contact',
  'case',
  'auditEvent',
  'message',
  'appointment',
  'document',
  'exportFile',
  'metricsDetail',
  'metricsAggregate',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** How each kind's term is enforced. */
export const RETENTION_BY: Readonly<Record<RetentionKind, 'ttl' | 'sweep' | 'lifecycle'>> = {
  contact: 'ttl',
  case: 'sweep',
  auditEvent: 'sweep',
  message: 'ttl',
  appointment: 'ttl',
  document: 'ttl',
  exportFile: 'lifecycle',
  metricsDetail: 'ttl',
  metricsAggregate: 'ttl',
};
