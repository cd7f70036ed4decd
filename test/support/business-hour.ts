/**
 * A Tuesday at 10:00 in Panama (no holiday in config/city-hall): every department of the demo deployment is
 * open. Tests whose callers must reach a person run the flows at this time, whatever day and hour they run.
 */
export const TUESDAY_10AM = new Date('2026-11-24T15:00:00Z');
export const atBusinessHour = () => TUESDAY_10AM;
