import { reconcilePayments, type PaymentGateway } from '../../shared/domain/payments';
import { refundIfEnded, settleBooking } from '../../shared/domain/visit-requirements';
import { appointmentBookOf } from '../../shared/runtime/appointments';
import type { Runtime } from '../../shared/runtime/runtime';
import { visitDepsOf } from '../../shared/runtime/visit';

/**
 * The nightly reconciliation of fees: asks the gateway about every payment request still open, applies what
 * its webhooks did not bring, expires links past their time, and confirms the bookings the payments complete.
 * Returns the counts; running it again changes nothing.
 */
export function makePaymentReconcileHandler(runtime: Runtime, ports: { gateway: PaymentGateway }) {
  const visit = visitDepsOf(runtime, appointmentBookOf(runtime), ports);
  return async () => {
    if (!visit) return { asked: 0, applied: 0, expired: 0, confirmed: 0 };
    const report = await reconcilePayments({
      store: visit.payments,
      gateway: ports.gateway,
      now: runtime.clock.now,
    });
    let confirmed = 0;
    for (const id of report.settled) {
      const request = await visit.payments.get(id);
      if (request?.status !== 'PAID' || !request.bookingId) continue;
      if ((await settleBooking(visit, request.bookingId))?.status === 'booked') confirmed++;
      else await refundIfEnded(visit, request);
    }
    const counts = { asked: report.asked, applied: report.applied, expired: report.expired, confirmed };
    runtime.logger.info('reconciled', counts);
    return counts;
  };
}
