import { runAppointmentTasks } from '../../shared/domain/appointment-tasks';
import { ConfigError } from '../../shared/domain/errors';
import { appointmentBookOf } from '../../shared/runtime/appointments';
import type { Runtime } from '../../shared/runtime/runtime';

/**
 * The appointments' clock, started every minute by EventBridge Scheduler: holds run out return their places,
 * reminders due are counted (the notifier sends them), slots closed with nobody checked in are no-shows.
 */
export function makeAppointmentTasksHandler(runtime: Runtime) {
  const book = appointmentBookOf(runtime);
  if (!book) throw new ConfigError('deployment', 'appointments', 'the deployment books no appointments');
  return async () => {
    const report = await runAppointmentTasks(book);
    runtime.logger.info('appointment tasks done', { ...report });
    return report;
  };
}
