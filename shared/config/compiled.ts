import { readFileSync } from 'node:fs';
import { calendarOf } from '../domain/calendar';
import { Catalogue } from '../domain/catalogue';
import type { CompiledConfig, LoadedConfig } from './load';

/**
 * Reads the config a function was bundled with. It was validated when it was compiled (at synth), so a cold
 * start only parses JSON: no schema work, no time-zone rules until the calendar is first used.
 */
export function readCompiledConfig(file: string): LoadedConfig {
  let compiled: CompiledConfig;
  try {
    compiled = JSON.parse(readFileSync(file, 'utf8')) as CompiledConfig;
  } catch (error) {
    throw new Error(`cannot read the bundled configuration ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    deployment: compiled.deployment,
    catalogue: new Catalogue(compiled.catalogue),
    calendar: calendarOf(compiled.deployment),
  };
}
