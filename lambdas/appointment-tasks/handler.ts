import { loadRuntime } from '../../shared/runtime/runtime';
import { makeAppointmentTasksHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
export const handler = makeAppointmentTasksHandler(
  loadRuntime(process.env, { service: 'appointment-tasks', dir: __dirname, requestTimeoutMs: 5000 }),
);
