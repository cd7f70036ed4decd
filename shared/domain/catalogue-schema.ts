import * as z from 'zod/mini';
import { Catalogue, DATA_RIGHTS, SELF_SERVICE_MAX, type CatalogueEntry, type LineEntry } from './catalogue';
import type { Deployment } from './deployment';
import { ConfigError } from './errors';
import { parseConfig } from './schema';

const localized = (max: number) =>
  z.strictObject({
    es: z.string().check(z.minLength(1), z.maxLength(max)),
    en: z.string().check(z.minLength(1), z.maxLength(max)),
  });
const words = z.strictObject({
  es: z.array(z.string().check(z.minLength(2))),
  en: z.array(z.string().check(z.minLength(2))),
});

const catalogueEntrySchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be a lower-case slug')),
  /** The keys a caller presses (or texts) to reach it, e.g. "1" or "2-3" inside a sub-menu. */
  menuKey: z.optional(
    z.string().check(z.regex(/^[1-9](-[1-9])*$/, 'must be digits 1-9 joined by "-" for sub-menus')),
  ),
  dataRight: z.optional(z.enum(DATA_RIGHTS)),
  department: z.string(),
  name: localized(60),
  selfService: localized(SELF_SERVICE_MAX),
  requirements: z.strictObject({ es: z.array(z.string()), en: z.array(z.string()) }),
  link: z.optional(z.string().check(z.regex(/^https:\/\/\S+$/, 'must be an https link'))),
  keywords: words,
  /** Phrases citizens write for it ("me robaron la placa"); matching prefers the entry most of a message names. */
  synonyms: z._default(words, { es: [], en: [] }),
  needsPerson: z.boolean(),
  slaBusinessDays: z.number().check(z.int(), z.gte(0), z.lte(90)),
  /** The agency checks (deployment `agencyChecks`) a booking of it needs, each a yes before it is confirmed. */
  eligibility: z.optional(z.array(z.string()).check(z.minLength(1))),
  /** Documents sent from the citizen's page and accepted by staff before a booking of it is confirmed. */
  documents: z.optional(
    z
      .array(
        z.strictObject({
          id: z.string().check(z.regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be a lower-case slug')),
          name: localized(80),
        }),
      )
      .check(z.minLength(1), z.maxLength(10)),
  ),
  /** A fee paid by link before a booking of it is confirmed: whole cents, an ISO 4217 currency. */
  fee: z.optional(
    z.strictObject({
      amount: z.number().check(z.int(), z.gte(1), z.lte(100_000_000)),
      currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "USD"')),
      concept: localized(120),
    }),
  ),
});
const catalogueSchema = z.strictObject({
  entries: z.array(catalogueEntrySchema).check(z.minLength(1)),
});

/** Validates a catalogue against the deployment's departments; a bad entry fails naming its field. */
export function parseCatalogue(raw: unknown, deployment: Deployment, source = 'catalogue'): Catalogue {
  const { entries } = parseConfig(catalogueSchema, raw, source) as { entries: CatalogueEntry[] };
  const departments = new Set(deployment.departments.map((d) => d.id));
  const ids = new Set<string>();
  const keys = new Set<string>();
  const rights = new Set<string>();
  entries.forEach((e, i) => {
    if (ids.has(e.id)) throw new ConfigError(source, `entries.${i}.id`, `duplicate entry "${e.id}"`);
    if (e.menuKey !== undefined && keys.has(e.menuKey))
      throw new ConfigError(source, `entries.${i}.menuKey`, `duplicate key "${e.menuKey}"`);
    if (!departments.has(e.department))
      throw new ConfigError(source, `entries.${i}.department`, `unknown department "${e.department}"`);
    // The phone and text lines book what they offer at once: they cannot ask an agency, take a document or a fee.
    const booked = deployment.appointments?.offices.some((o) => o.services.some((sv) => sv.topic === e.id));
    if (booked && e.menuKey !== undefined && (e.eligibility || e.documents || e.fee))
      throw new ConfigError(
        source,
        `entries.${i}.menuKey`,
        'a booked procedure with eligibility, documents or a fee is booked on the citizen’s page or by staff, not on the lines: leave menuKey out',
      );
    e.eligibility?.forEach((check, j) => {
      if (!deployment.agencyChecks[check])
        throw new ConfigError(
          source,
          `entries.${i}.eligibility.${j}`,
          `unknown check "${check}": name one of the deployment's agencyChecks`,
        );
    });
    if (e.dataRight) {
      if (rights.has(e.dataRight))
        throw new ConfigError(source, `entries.${i}.dataRight`, `a second entry for "${e.dataRight}"`);
      if (!e.needsPerson)
        throw new ConfigError(
          source,
          `entries.${i}.needsPerson`,
          'must be true: a person answers a data right',
        );
      rights.add(e.dataRight);
    }
    ids.add(e.id);
    if (e.menuKey !== undefined) keys.add(e.menuKey);
  });
  // The entries on the lines' menus, with their place in the file (for the field an error names).
  const lined = entries.flatMap((e, i) => (e.menuKey === undefined ? [] : [{ e: e as LineEntry, i }]));
  // Keys the menus keep for themselves: 0 a person everywhere, 8 the ticket line at the top, 9 "back" below.
  lined.forEach(({ e, i }) => {
    const keys = e.menuKey.split('-');
    const reserved =
      keys[0] === '8'
        ? '8 (the ticket status line)'
        : keys.slice(1).includes('9')
          ? '9 (back, in a sub-menu)'
          : undefined;
    if (reserved) throw new ConfigError(source, `entries.${i}.menuKey`, `key ${reserved} is reserved`);
  });
  // A key that opens a sub-menu ("2") cannot also be an entry ("2" and "2-1").
  for (const key of keys) {
    const parent = key.split('-').slice(0, -1);
    for (let n = 1; n <= parent.length; n++) {
      const prefix = parent.slice(0, n).join('-');
      if (keys.has(prefix)) {
        const i = lined.find(({ e }) => e.menuKey === prefix)!.i;
        throw new ConfigError(source, `entries.${i}.menuKey`, `"${prefix}" is both an entry and a sub-menu`);
      }
    }
  }
  // With appointments, the text channels' numbered replies take 1 to 3 alone: no entry may be a bare 1, 2 or 3.
  if (deployment.appointments)
    lined.forEach(({ e, i }) => {
      if (/^[123]$/.test(e.menuKey))
        throw new ConfigError(
          source,
          `entries.${i}.menuKey`,
          `key ${e.menuKey} alone is kept for the numbered replies of appointments: use a sub-menu like "${e.menuKey}-1"`,
        );
    });
  // The procedures offices book must be the catalogue's.
  deployment.appointments?.offices.forEach((o, i) =>
    o.services.forEach((s, j) => {
      if (!ids.has(s.topic))
        throw new ConfigError(
          'deployment',
          `appointments.offices.${i}.services.${j}.topic`,
          `"${s.topic}" is not in the catalogue`,
        );
    }),
  );
  return new Catalogue(entries);
}
