import type { Citizen } from '../../shared/domain/citizen';
import type { ContactRecord, WrapUp } from '../../shared/domain/contact';
import { IdentityTakenError } from '../../shared/domain/errors';
import type { Identity } from '../../shared/domain/identity';
import type { CitizenLinkStore, LinkRecord } from '../../shared/domain/merge';
import type { CitizenRepository, Page } from '../../shared/domain/ports';

const keyOf = (i: Identity) => `${i.kind}#${i.value}`;

/** Citizens in memory, with the repository's rules: identities claimed all or nothing, one owner each. */
export class InMemoryCitizens implements CitizenRepository {
  readonly byKey = new Map<string, string>();
  readonly citizens = new Map<string, Citizen>();
  readonly timelines = new Map<string, ContactRecord[]>();

  async create(citizen: Citizen): Promise<Citizen> {
    for (const identity of citizen.identities) {
      const owner = this.byKey.get(keyOf(identity));
      if (owner) throw new IdentityTakenError(identity.kind, owner);
    }
    this.put(citizen);
    return citizen;
  }

  /** Stores a citizen as it is (a test's starting state), claiming its identities. */
  put(citizen: Citizen): void {
    this.citizens.set(citizen.id, citizen);
    for (const identity of citizen.identities) this.byKey.set(keyOf(identity), citizen.id);
  }

  async byId(id: string) {
    return this.citizens.get(id);
  }

  async byIdentity(identity: Identity) {
    const id = this.byKey.get(keyOf(identity));
    return id ? this.citizens.get(id) : undefined;
  }

  async bySurname(): Promise<Page<Citizen>> {
    throw new Error('not used by these use cases');
  }

  async appendContact(contact: ContactRecord): Promise<boolean> {
    const list = this.timelines.get(contact.citizenId) ?? [];
    if (list.some((c) => c.contactId === contact.contactId)) return false;
    this.timelines.set(contact.citizenId, [...list, contact]);
    return true;
  }

  async contacts(citizenId: string, page: { limit?: number } = {}): Promise<Page<ContactRecord>> {
    const items = [...(this.timelines.get(citizenId) ?? [])].sort((a, b) => b.at.localeCompare(a.at));
    return { items: items.slice(0, page.limit ?? 50) };
  }

  async contactPlace(contactId: string) {
    for (const list of this.timelines.values()) {
      const found = list.find((c) => c.contactId === contactId);
      if (found) return { citizenId: found.citizenId, at: found.at };
    }
    return undefined;
  }

  async attachWrapUp(place: { citizenId: string }, contactId: string, wrapUp: WrapUp) {
    const list = this.timelines.get(place.citizenId) ?? [];
    const index = list.findIndex((c) => c.contactId === contactId);
    const updated = { ...list[index]!, wrapUp };
    list[index] = updated;
    return updated;
  }
}

/** The linking side over the same citizens: no screen-pop summaries, a link stores the citizen it makes. */
export function inMemoryLinks(citizens: InMemoryCitizens): CitizenLinkStore {
  const records: LinkRecord[] = [];
  return {
    mergeSnapshot: () => Promise.reject(new Error('not used by these use cases')),
    commitMerge: () => Promise.reject(new Error('not used by these use cases')),
    summaries: async () => [],
    commitLink: async (next, _added, _summary, _stored, record) => {
      citizens.put(next);
      records.unshift(record);
    },
    links: async (citizenId) => records.filter((r) => r.citizenId === citizenId),
    merges: async () => [],
  };
}
