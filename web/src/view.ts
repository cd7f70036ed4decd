/** Pure helpers of the dashboard: levels against thresholds and how figures read. */
export type Level = 'ok' | 'amber' | 'red' | 'none';

export interface Band {
  readonly amber: number;
  readonly red: number;
}

/** The level of a figure: `higher` means a larger value is worse (waiting), `lower` a smaller (service level). */
export function level(value: number | null | undefined, band: Band, worse: 'higher' | 'lower'): Level {
  if (value === null || value === undefined || Number.isNaN(value)) return 'none';
  if (worse === 'higher') return value >= band.red ? 'red' : value >= band.amber ? 'amber' : 'ok';
  return value <= band.red ? 'red' : value < band.amber ? 'amber' : 'ok';
}

/** The icon that goes with a level, so colour is never the only signal. */
export const LEVEL_ICON: Record<Level, string> = { ok: '✓', amber: '▲', red: '✖', none: '–' };

export function percent(value: number | null | undefined, language: string): string {
  if (value === null || value === undefined) return '–';
  return new Intl.NumberFormat(language === 'es' ? 'es-PA' : 'en-US', {
    style: 'percent',
    maximumFractionDigits: 0,
  }).format(value);
}

/** Seconds as "45 s", "3 min 05 s" or "1 h 02 min". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Seconds as a clock: "0:45", "6:52", "1:02:05". */
export function clockDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.round(seconds);
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, '0');
  return s < 3600 ? `${mm}:${ss}` : `${Math.floor(s / 3600)}:${mm.padStart(2, '0')}:${ss}`;
}

export function count(value: number, language: string): string {
  return new Intl.NumberFormat(language === 'es' ? 'es-PA' : 'en-US').format(value);
}

/** Local time of day of an instant, in the administration's zone. */
export function clock(iso: string, timeZone: string | undefined, language: string): string {
  return new Intl.DateTimeFormat(language === 'es' ? 'es-PA' : 'en-US', {
    hour: '2-digit',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}
