import type { Language } from './citizen';

/** Self-service text must fit a couple of SMS segments and a WhatsApp message preview. */
export const SELF_SERVICE_MAX = 320;

type Localized = { readonly es: string; readonly en: string };

/** A citizen's request about their own data: the case of a data-protection right. */
export const DATA_RIGHTS = ['access', 'rectification', 'erasure'] as const;
export type DataRight = (typeof DATA_RIGHTS)[number];

/** A public procedure ("trámite") the contact center answers. */
export interface CatalogueEntry {
  readonly id: string;
  /**
   * The keys a caller presses (or texts) to reach it, e.g. "1" or "2-3" inside a sub-menu. Without one, the
   * procedure is on no line: staff open its cases (a request received in writing).
   */
  readonly menuKey?: string;
  /** The data-protection right its cases exercise; `slaBusinessDays` is then the legal deadline. */
  readonly dataRight?: DataRight;
  readonly department: string;
  readonly name: Localized;
  readonly selfService: Localized;
  readonly requirements: { readonly es: readonly string[]; readonly en: readonly string[] };
  readonly link?: string;
  readonly keywords: { readonly es: readonly string[]; readonly en: readonly string[] };
  /** Phrases citizens write for it, beside its keywords: "me robaron la placa", "my plate was stolen". */
  readonly synonyms: { readonly es: readonly string[]; readonly en: readonly string[] };
  readonly needsPerson: boolean;
  readonly slaBusinessDays: number;
  /** The agency checks a booking of it needs (the deployment's `agencyChecks`), each a yes before it is confirmed. */
  readonly eligibility?: readonly string[];
  /** Documents the citizen sends before the visit, each accepted by staff before a booking is confirmed. */
  readonly documents?: readonly { readonly id: string; readonly name: Localized }[];
  /** A fee paid by link before a booking is confirmed (whole cents). */
  readonly fee?: { readonly amount: number; readonly currency: string; readonly concept: Localized };
}

/** A booking of it waits (held) for its documents and fee before it is confirmed. */
export const hasRequirements = (e: CatalogueEntry) => (e.documents?.length ?? 0) > 0 || e.fee !== undefined;

/** A procedure on the phone and text lines' menus. */
export type LineEntry = CatalogueEntry & { readonly menuKey: string };
export const onLine = (e: CatalogueEntry): e is LineEntry => e.menuKey !== undefined;

/** The deployment's catalogue of public procedures ("trámites"), validated against its departments. */
export class Catalogue {
  private readonly byId: ReadonlyMap<string, CatalogueEntry>;
  /** The procedures on the lines' menus (those with a `menuKey`), in the catalogue's order. */
  readonly onLines: readonly LineEntry[];
  constructor(readonly entries: readonly CatalogueEntry[]) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
    this.onLines = entries.filter(onLine);
  }
  get(id: string): CatalogueEntry | undefined {
    return this.byId.get(id);
  }
  byMenuKey(key: string): CatalogueEntry | undefined {
    return this.onLines.find((e) => e.menuKey === key);
  }
  name(id: string, language: Language): string {
    return this.byId.get(id)?.name[language] ?? id;
  }
}
