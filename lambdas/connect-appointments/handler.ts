import { loadRuntime } from '../../shared/runtime/runtime';
import { makeConnectAppointmentsHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
export const handler = makeConnectAppointmentsHandler(
  loadRuntime(process.env, { service: 'connect-appointments', dir: __dirname }),
);
