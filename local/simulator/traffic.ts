import type { LineEntry } from '../../shared/domain/catalogue';
import { seededRandom } from '../../shared/domain/random';

/** How a contact reaches the city: the Connect channel, its subtype, and the local flow it starts in. */
export type Medium = 'voice' | 'chat' | 'sms' | 'whatsapp';

export const MEDIA: Record<Medium, { channel: 'VOICE' | 'CHAT'; subtype?: string }> = {
  voice: { channel: 'VOICE' },
  chat: { channel: 'CHAT' },
  sms: { channel: 'CHAT', subtype: 'connect:SMS' },
  whatsapp: { channel: 'CHAT', subtype: 'connect:WhatsApp' },
};

/** One planned contact: who, when, about what, and how long each part of it takes (whole seconds). */
export interface PlannedContact {
  readonly index: number;
  readonly contactId: string;
  /** Seconds after the start of the day. */
  readonly arrival: number;
  readonly medium: Medium;
  readonly phone?: string;
  readonly topic: LineEntry;
  readonly language: 'es' | 'en';
  /** After a self-service answer, asks for a person anyway. */
  readonly wantsPerson: boolean;
  /** Asks for the link by SMS after a self-service answer (voice). */
  readonly wantsLink: boolean;
  readonly flowSeconds: number;
  readonly patienceSeconds: number;
  readonly talkSeconds: number;
  readonly holdSeconds: number;
  readonly afterContactSeconds: number;
  /** Offered a callback (voice), takes it. */
  readonly acceptsCallback: boolean;
  /** Called back, answers the agent's call of this attempt (1: the first; beyond the attempts Connect makes: never). */
  readonly callbackAnswersOnAttempt: number;
}

export interface TrafficOptions {
  readonly contacts: number;
  readonly hours: number;
  readonly seed: number;
  /** Prefix of contact ids, unique per run. */
  readonly runId: string;
  readonly catalogue: readonly LineEntry[];
  /** E.164 prefix of the simulated callers' phones (a Panama mobile range by default). */
  readonly phonePrefix?: string;
}

/**
 * A day of traffic: a morning peak over a steady flow, the channel mix voice 70 / web chat 10 / SMS 10 /
 * WhatsApp 10 %, topics from the catalogue, and one contact in five a citizen coming back about the same
 * topic (on any channel), which appends to the case they already have.
 */
export function planDay(options: TrafficOptions): PlannedContact[] {
  const random = seededRandom(options.seed);
  const uniform = (a: number, b: number) => a + Math.floor(random() * (b - a + 1));
  const exponential = (mean: number) => Math.round(-mean * Math.log(1 - random()));
  const span = options.hours * 3600;
  const arrivals: number[] = [];
  for (let i = 0; i < options.contacts; i++) {
    let t: number;
    if (random() < 0.55) {
      // The morning peak: a bell around the first quarter of the day.
      do {
        const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
        t = span * (0.25 + 0.12 * normal);
      } while (t < 0 || t >= span);
    } else t = random() * span;
    arrivals.push(Math.floor(t));
  }
  arrivals.sort((a, b) => a - b);
  const prefix = options.phonePrefix ?? '+5076';
  const phoneBase = (options.seed * 7919) % 9_000_000;
  const planned: PlannedContact[] = [];
  let phones = 0;
  for (let i = 0; i < options.contacts; i++) {
    const draw = random();
    const medium: Medium = draw < 0.7 ? 'voice' : draw < 0.8 ? 'chat' : draw < 0.9 ? 'sms' : 'whatsapp';
    const earlier = planned.length && random() < 0.2 ? planned[uniform(0, planned.length - 1)] : undefined;
    // A web chat has no verified number unless the citizen came back to it with one.
    const phone =
      earlier?.phone ??
      (medium === 'chat' && random() < 0.5
        ? undefined
        : `${prefix}${String(1_000_000 + ((phoneBase + phones++ * 7_777) % 9_000_000)).padStart(7, '0')}`);
    const topic = earlier?.topic ?? options.catalogue[uniform(0, options.catalogue.length - 1)]!;
    const voice = medium === 'voice';
    planned.push({
      index: i,
      contactId: `${options.runId}-${String(i).padStart(6, '0')}`,
      arrival: arrivals[i]!,
      medium,
      ...(phone ? { phone } : {}),
      topic,
      language: random() < 0.85 ? 'es' : 'en',
      wantsPerson: random() < 0.3,
      wantsLink: voice && random() < 0.1,
      flowSeconds: voice ? uniform(25, 65) : uniform(15, 45),
      patienceSeconds: voice ? 30 + exponential(150) : 120 + exponential(600),
      talkSeconds: voice ? 90 + exponential(210) : 150 + exponential(300),
      holdSeconds: voice && random() < 0.2 ? uniform(10, 70) : 0,
      afterContactSeconds: uniform(20, 90),
      acceptsCallback: voice && random() < 0.6,
      callbackAnswersOnAttempt: ((r) => (r < 0.85 ? 1 : r < 0.93 ? 2 : r < 0.97 ? 3 : 9))(random()),
    });
  }
  return planned;
}

/**
 * What the caller answers to an offer that comes or not depending on the moment (a callback when the queue is
 * long), by the offer's block: the callback (and on this number), or keep a pending one. Anything else: silence.
 */
export function decide(contact: PlannedContact, actionId: string): string | undefined {
  if (actionId.startsWith('cb-offer')) return contact.acceptsCallback ? '1' : '2';
  if (actionId.startsWith('cb-which') || actionId.startsWith('cb-manage')) return '1';
  return undefined;
}

/** What the caller presses or types: language, menu keys, then what they do after a self-service answer. */
export function script(contact: PlannedContact): { keys?: string[]; says?: string[] } {
  const menu = contact.topic.menuKey.split('-');
  if (contact.medium === 'voice') {
    const after = contact.topic.needsPerson
      ? []
      : [contact.wantsLink ? '1' : contact.wantsPerson ? '2' : '3'];
    return { keys: [contact.language === 'es' ? '1' : '2', ...menu, ...after] };
  }
  const keyword = contact.topic.keywords.es[0];
  const ask = contact.index % 2 === 0 || !keyword ? contact.topic.menuKey : keyword;
  return { says: [ask, ...(contact.topic.needsPerson || !contact.wantsPerson ? [] : ['agente'])] };
}
