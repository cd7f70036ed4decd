import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calendarOf, type BusinessCalendar } from '../domain/calendar';
import { Catalogue, type CatalogueEntry } from '../domain/catalogue';
import { parseCatalogue } from '../domain/catalogue-schema';
import { parseDeployment, type Deployment } from '../domain/deployment';
import { ConfigError } from '../domain/errors';

export interface LoadedConfig {
  readonly deployment: Deployment;
  readonly catalogue: Catalogue;
  readonly calendar: BusinessCalendar;
}

/** A deployment folder, validated and flattened into one JSON document for a function bundle. */
export interface CompiledConfig {
  readonly deployment: Deployment;
  readonly catalogue: readonly CatalogueEntry[];
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(path, '', 'file cannot be read');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, '', `is not valid JSON (${(error as Error).message})`);
  }
}

/** Reads and validates a deployment folder: deployment.json and catalogue.json. */
export function loadConfig(dir: string): LoadedConfig {
  const deploymentPath = join(dir, 'deployment.json');
  const cataloguePath = join(dir, 'catalogue.json');
  const deployment = parseDeployment(readJson(deploymentPath), deploymentPath);
  const catalogue = parseCatalogue(readJson(cataloguePath), deployment, cataloguePath);
  return { deployment, catalogue, calendar: calendarOf(deployment) };
}

/** Validates a deployment folder and flattens it for bundling next to a function. */
export function compileConfig(dir: string): CompiledConfig {
  const { deployment, catalogue } = loadConfig(dir);
  return { deployment, catalogue: catalogue.entries };
}
