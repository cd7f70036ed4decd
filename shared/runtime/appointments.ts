import { DynamoAppointmentStore } from '../adapters/dynamodb/appointment-store';
import { AppointmentBook } from '../domain/appointment-book';
import { scheduleOf } from '../domain/appointment-schedule';
import { storeTables, type Runtime } from './runtime';

/** The appointment book of a function's runtime, on the cases table; undefined when the deployment books none. */
export function appointmentBookOf(runtime: Runtime): AppointmentBook | undefined {
  const { deployment, catalogue, calendar } = runtime.config;
  const schedule = scheduleOf(deployment);
  if (!schedule) return undefined;
  return new AppointmentBook({
    store: new DynamoAppointmentStore(
      runtime.doc,
      storeTables(runtime).cases,
      (start) => calendar.local(new Date(start)).date,
      deployment.retention.appointment.days,
    ),
    schedule,
    catalogue,
    clock: runtime.clock,
    timeZone: deployment.timeZone,
  });
}
