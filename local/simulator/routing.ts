import {
  agentEvent,
  contactEvent,
  contactRecord,
  type AgentSnapshot,
  type AgentStatusName,
  type RecordAgent,
  type RecordContact,
} from './connect-records';
import { MEDIA, type PlannedContact } from './traffic';

/** What the flows did with a contact: left it in a queue, or ended it (self-service, after hours). */
export interface FlowResult {
  readonly queue?: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** One agent for the day: who, which queues, and when they take their break (seconds into the day). */
export interface PlannedAgent {
  readonly agent: RecordAgent;
  readonly loginAt: number;
  readonly breakAt?: number;
  readonly breakSeconds: number;
}

/** How each contact ended, as the simulator saw it: the ground truth the metrics are checked against. */
export interface ContactOutcome {
  readonly contact: PlannedContact;
  readonly result: 'handled' | 'abandoned' | 'self-service' | 'lost';
  readonly reason?: string;
  readonly queue?: string;
  readonly enqueuedAt?: number;
  /** Whole seconds in queue. */
  readonly queueSeconds?: number;
  /** Talk + hold + after-contact work. */
  readonly handleSeconds?: number;
}

export interface SimulationDeps {
  /** The start of the simulated day, ms since the epoch. */
  readonly start: number;
  readonly hours: number;
  readonly contacts: readonly PlannedContact[];
  readonly agents: readonly PlannedAgent[];
  /** Runs a contact through the flows; called ahead of its arrival, in arrival order. */
  readonly runFlow: (contact: PlannedContact) => Promise<FlowResult>;
  /** How many flows may run ahead of the simulated clock. */
  readonly lookahead?: number;
  /** Receives each payload in simulated-time order, with the partition key Connect would use. */
  readonly emit: (payload: unknown, partitionKey: string) => void;
  /** Waits until the simulated clock may move to `at` (pacing); absent, the day runs as fast as it can. */
  readonly pace?: (at: number) => Promise<void>;
  /** Called each time a contact ends. */
  readonly progress?: (ended: number, at: number) => void;
  /**
   * Stops the day where it is (Ctrl-C): contacts still waiting hang up, those with an agent end now, those
   * in the flows end there, and every agent logs out — all emitted as Connect would, so nothing is left
   * waiting or logged in on the dashboard. Contacts that had not arrived yet never happen.
   */
  readonly signal?: AbortSignal;
}

const HEARTBEAT_MS = 120_000;

interface Waiting {
  readonly contact: PlannedContact;
  readonly record: RecordContact;
  readonly queue: string;
  readonly enqueuedAt: number;
  readonly attributes: Readonly<Record<string, string>>;
  answered: boolean;
  answeredAt?: number;
}

interface AgentState {
  readonly plan: PlannedAgent;
  status: AgentStatusName;
  statusSince: number;
  idleSince: number;
  onContact?: Waiting;
  contactState?: 'CONNECTED' | 'ENDED';
  contactSince: number;
  lastEventAt: number;
  sequence: number;
  generation: number;
  tookBreak: boolean;
  previous?: AgentSnapshot;
}

/** A small binary heap of timed events, ordered by time, then by when they were scheduled. */
class Agenda {
  private readonly heap: { at: number; seq: number; run: () => Promise<void> | void }[] = [];
  private seq = 0;
  get size() {
    return this.heap.length;
  }
  push(at: number, run: () => Promise<void> | void) {
    const h = this.heap;
    h.push({ at, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }
  pop() {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(l, m)) m = l;
        if (r < h.length && this.less(r, m)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
  private less(a: number, b: number) {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

/**
 * A day in the contact center, event by event on a simulated clock: contacts arrive and run the flows;
 * those left in a queue wait for the agent who has been idle longest among those whose routing profile
 * serves the queue, or give up when their patience runs out; agents log in, take contacts, do after-contact
 * work, take a break, send heartbeats while idle, and log out once the day is over and nothing waits.
 * Everything is emitted as Connect would emit it.
 */
export async function simulateDay(deps: SimulationDeps): Promise<ContactOutcome[]> {
  const agenda = new Agenda();
  const at = (seconds: number) => deps.start + seconds * 1000;
  const end = at(deps.hours * 3600);
  const outcomes: ContactOutcome[] = [];
  const waiting = new Map<string, Waiting[]>();
  const agents: AgentState[] = [];
  const flows: Promise<FlowResult>[] = [];
  const lookahead = deps.lookahead ?? 32;
  let inFlows = 0;
  let arrived = 0;
  let now = deps.start;
  let closing = false;
  /** Contacts in the flows (arrived, not yet queued or ended), for a stop. */
  const inFlow = new Map<string, { contact: PlannedContact; record: RecordContact }>();

  const finish = (outcome: ContactOutcome) => {
    outcomes.push(outcome);
    deps.progress?.(outcomes.length, now);
  };
  const startFlowsUpTo = (index: number) => {
    for (let i = flows.length; i <= Math.min(index, deps.contacts.length - 1); i++) {
      const flow = deps.runFlow(deps.contacts[i]!);
      flow.catch(() => undefined); // awaited at the contact's turn
      flows.push(flow);
    }
  };

  // ---- agents
  const agentSnapshot = (a: AgentState): AgentSnapshot => ({
    status: a.status,
    statusSince: a.statusSince,
    ...(a.onContact
      ? {
          contact: {
            contact: a.onContact.record,
            queue: a.onContact.queue,
            enqueuedAt: a.onContact.enqueuedAt,
            state: a.contactState!,
            since: a.contactSince,
          },
        }
      : {}),
  });
  const agentEmit = (a: AgentState, type: 'STATE_CHANGE' | 'HEART_BEAT' | 'LOGIN' | 'LOGOUT') => {
    // Event times strictly increase per agent: the newest state always wins.
    const time = Math.max(now, a.lastEventAt + 1);
    a.lastEventAt = time;
    const current = agentSnapshot(a);
    deps.emit(agentEvent(type, a.plan.agent, time, ++a.sequence, current, a.previous), a.plan.agent.arn);
    a.previous = current;
  };
  const idle = (a: AgentState) => !a.onContact && a.status !== 'Offline';
  const scheduleHeartbeat = (a: AgentState) => {
    const generation = ++a.generation;
    agenda.push(now + HEARTBEAT_MS, () => {
      if (a.generation !== generation || !idle(a)) return;
      agentEmit(a, 'HEART_BEAT');
      scheduleHeartbeat(a);
    });
  };
  const setStatus = (a: AgentState, status: AgentStatusName) => {
    a.status = status;
    a.statusSince = now;
    if (status === 'Available') a.idleSince = now;
    agentEmit(a, status === 'Offline' ? 'LOGOUT' : 'STATE_CHANGE');
    if (status !== 'Offline') scheduleHeartbeat(a);
    else a.generation++;
  };
  const nothingLeft = () =>
    closing &&
    inFlows === 0 &&
    arrived === deps.contacts.length &&
    [...waiting.values()].every((q) => !q.length);
  /** An agent free of contacts decides what next: a break that is due, going home, or the next contact. */
  const freeAgent = (a: AgentState) => {
    const plan = a.plan;
    if (!a.tookBreak && plan.breakAt !== undefined && now >= at(plan.breakAt) && !closing) {
      a.tookBreak = true;
      setStatus(a, 'Break');
      agenda.push(now + plan.breakSeconds * 1000, () => {
        setStatus(a, 'Available');
        freeAgent(a);
      });
      return;
    }
    if (nothingLeft()) {
      setStatus(a, 'Offline');
      return;
    }
    if (a.status !== 'Available') setStatus(a, 'Available');
    pickContact(a);
  };
  const pickContact = (a: AgentState) => {
    let best: Waiting | undefined;
    for (const queue of a.plan.agent.profile.queues) {
      const head = waiting.get(queue)?.[0];
      if (head && (!best || head.enqueuedAt < best.enqueuedAt)) best = head;
    }
    if (best) connect(best, a);
  };
  const connect = (w: Waiting, a: AgentState) => {
    const queue = waiting.get(w.queue)!;
    queue.splice(queue.indexOf(w), 1);
    w.answered = true;
    w.answeredAt = now;
    const answeredAt = now;
    a.onContact = w;
    a.contactState = 'CONNECTED';
    a.contactSince = now;
    deps.emit(
      contactEvent(w.record, 'CONNECTED_TO_AGENT', now, {
        queue: w.queue,
        enqueuedAt: w.enqueuedAt,
        agent: a.plan.agent.arn,
      }),
      w.contact.contactId,
    );
    agentEmit(a, 'STATE_CHANGE');
    a.generation++; // no heartbeats on contact
    const c = w.contact;
    agenda.push(now + (c.talkSeconds + c.holdSeconds) * 1000, () => {
      deps.emit(
        contactEvent(w.record, 'DISCONNECTED', now, {
          queue: w.queue,
          disconnectReason: c.index % 3 ? 'CUSTOMER_DISCONNECT' : 'AGENT_DISCONNECT',
        }),
        c.contactId,
      );
      const afterContactStart = now;
      a.contactState = 'ENDED';
      a.contactSince = now;
      agentEmit(a, 'STATE_CHANGE');
      agenda.push(now + c.afterContactSeconds * 1000, () => {
        complete(a, w, {
          answeredAt,
          talkSeconds: c.talkSeconds,
          holdSeconds: c.holdSeconds,
          afterContactStart,
          afterContactSeconds: c.afterContactSeconds,
          disconnectReason: c.index % 3 ? 'CUSTOMER_DISCONNECT' : 'AGENT_DISCONNECT',
        });
        a.idleSince = now;
        a.statusSince = now;
        finish({
          contact: c,
          result: 'handled',
          queue: w.queue,
          enqueuedAt: w.enqueuedAt,
          queueSeconds: Math.round((answeredAt - w.enqueuedAt) / 1000),
          handleSeconds: c.talkSeconds + c.holdSeconds + c.afterContactSeconds,
        });
        agentEmit(a, 'STATE_CHANGE');
        scheduleHeartbeat(a);
        freeAgent(a);
        if (nothingLeft()) goHome();
      });
    });
  };
  /** After-contact work ends: the contact is completed, its record emitted, and the agent is free of it. */
  const complete = (
    a: AgentState,
    w: Waiting,
    t: {
      answeredAt: number;
      talkSeconds: number;
      holdSeconds: number;
      afterContactStart: number;
      afterContactSeconds: number;
      disconnectReason: string;
    },
  ) => {
    deps.emit(contactEvent(w.record, 'COMPLETED', now, { queue: w.queue }), w.contact.contactId);
    deps.emit(
      contactRecord(w.record, {
        connectedToSystemAt: w.record.initiatedAt,
        disconnectedAt: t.afterContactStart,
        lastUpdateAt: now,
        disconnectReason: t.disconnectReason,
        queue: { arn: w.queue, enqueuedAt: w.enqueuedAt, dequeuedAt: t.answeredAt },
        agent: {
          agent: a.plan.agent,
          connectedAt: t.answeredAt,
          talkSeconds: t.talkSeconds,
          holdSeconds: t.holdSeconds,
          afterContactStart: t.afterContactStart,
          afterContactSeconds: t.afterContactSeconds,
        },
        attributes: w.attributes,
      }),
      w.contact.contactId,
    );
    a.onContact = undefined;
    a.contactState = undefined;
  };
  const goHome = () => {
    for (const a of agents) if (idle(a) && a.status === 'Available') setStatus(a, 'Offline');
  };

  // ---- contacts
  /** The caller hangs up, in a queue (abandoned) or still in the flows. */
  const hangUp = (record: RecordContact, contactId: string, queued?: Waiting) => {
    deps.emit(
      contactEvent(
        record,
        'DISCONNECTED',
        now,
        queued ? { queue: queued.queue } : { disconnectReason: 'CUSTOMER_DISCONNECT' },
      ),
      contactId,
    );
    deps.emit(
      contactRecord(record, {
        connectedToSystemAt: record.initiatedAt,
        disconnectedAt: now,
        lastUpdateAt: now,
        disconnectReason: 'CUSTOMER_DISCONNECT',
        ...(queued ? { queue: { arn: queued.queue, enqueuedAt: queued.enqueuedAt, dequeuedAt: now } } : {}),
        attributes: queued?.attributes ?? {},
      }),
      contactId,
    );
  };
  const enqueue = (contact: PlannedContact, record: RecordContact, result: FlowResult) => {
    const w: Waiting = {
      contact,
      record,
      queue: result.queue!,
      enqueuedAt: now,
      attributes: result.attributes,
      answered: false,
    };
    deps.emit(contactEvent(record, 'QUEUED', now, { queue: w.queue, enqueuedAt: now }), contact.contactId);
    const list = waiting.get(w.queue) ?? [];
    waiting.set(w.queue, list);
    list.push(w);
    agenda.push(now + contact.patienceSeconds * 1000, () => {
      if (w.answered) return;
      list.splice(list.indexOf(w), 1);
      hangUp(record, contact.contactId, w);
      finish({
        contact,
        result: 'abandoned',
        queue: w.queue,
        enqueuedAt: w.enqueuedAt,
        queueSeconds: contact.patienceSeconds,
      });
      if (nothingLeft()) goHome();
    });
    // The agent idle longest among those who serve this queue.
    let best: AgentState | undefined;
    for (const a of agents)
      if (
        a.status === 'Available' &&
        !a.onContact &&
        a.plan.agent.profile.queues.includes(w.queue) &&
        (!best || a.idleSince < best.idleSince)
      )
        best = a;
    if (best) connect(w, best);
  };

  deps.contacts.forEach((contact) =>
    agenda.push(at(contact.arrival), async () => {
      arrived++;
      inFlows++;
      startFlowsUpTo(contact.index + lookahead);
      const medium = MEDIA[contact.medium];
      const record: RecordContact = {
        contactId: contact.contactId,
        channel: medium.channel,
        ...(medium.subtype ? { subtype: medium.subtype } : {}),
        ...(contact.phone ? { phone: contact.phone } : {}),
        initiatedAt: now,
      };
      deps.emit(contactEvent(record, 'INITIATED', now), contact.contactId);
      deps.emit(contactEvent(record, 'CONNECTED_TO_SYSTEM', now), contact.contactId);
      inFlow.set(contact.contactId, { contact, record });
      agenda.push(now + contact.flowSeconds * 1000, async () => {
        let result: FlowResult;
        try {
          result = await flows[contact.index]!;
        } catch (error) {
          inFlow.delete(contact.contactId);
          inFlows--;
          deps.emit(
            contactEvent(record, 'DISCONNECTED', now, { disconnectReason: 'OTHER' }),
            contact.contactId,
          );
          finish({ contact, result: 'lost', reason: (error as Error).message });
          return;
        }
        inFlow.delete(contact.contactId);
        inFlows--;
        if (result.queue) return enqueue(contact, record, result);
        deps.emit(
          contactEvent(record, 'DISCONNECTED', now, { disconnectReason: 'CONTACT_FLOW_DISCONNECT' }),
          contact.contactId,
        );
        deps.emit(
          contactRecord(record, {
            connectedToSystemAt: record.initiatedAt,
            disconnectedAt: now,
            lastUpdateAt: now,
            disconnectReason: 'CONTACT_FLOW_DISCONNECT',
            attributes: result.attributes,
          }),
          contact.contactId,
        );
        finish({ contact, result: 'self-service' });
        if (nothingLeft()) goHome();
      });
    }),
  );
  for (const plan of deps.agents)
    agenda.push(at(plan.loginAt), () => {
      const a: AgentState = {
        plan,
        status: 'Offline',
        statusSince: now,
        idleSince: now,
        contactSince: now,
        lastEventAt: 0,
        sequence: 0,
        generation: 0,
        tookBreak: false,
      };
      agents.push(a);
      agentEmit(a, 'LOGIN');
      setStatus(a, 'Available');
      pickContact(a);
    });
  agenda.push(end, () => {
    closing = true;
    if (nothingLeft()) goHome();
  });

  while (agenda.size && !deps.signal?.aborted) {
    const next = agenda.pop();
    if (deps.pace && next.at > now) await deps.pace(next.at);
    if (deps.signal?.aborted) break;
    now = Math.max(now, next.at);
    await next.run();
  }
  if (deps.signal?.aborted) {
    // Ctrl-C: end everything that is under way, at the simulated time reached.
    const seconds = (since: number) => Math.max(0, Math.round((now - since) / 1000));
    for (const { contact, record } of inFlow.values()) {
      hangUp(record, contact.contactId);
      finish({ contact, result: 'self-service', reason: 'stopped' });
    }
    for (const list of waiting.values())
      for (const w of list.splice(0)) {
        hangUp(w.record, w.contact.contactId, w);
        finish({
          contact: w.contact,
          result: 'abandoned',
          reason: 'stopped',
          queue: w.queue,
          enqueuedAt: w.enqueuedAt,
          queueSeconds: seconds(w.enqueuedAt),
        });
      }
    for (const a of agents) {
      const w = a.onContact;
      if (w) {
        const c = w.contact;
        const talking = a.contactState === 'CONNECTED';
        const answeredAt = w.answeredAt ?? now;
        const talkSeconds = talking ? seconds(a.contactSince) : c.talkSeconds;
        const holdSeconds = talking ? 0 : c.holdSeconds;
        const afterContactStart = talking ? now : a.contactSince;
        const afterContactSeconds = talking ? 0 : seconds(a.contactSince);
        if (talking)
          deps.emit(
            contactEvent(w.record, 'DISCONNECTED', now, {
              queue: w.queue,
              disconnectReason: 'CUSTOMER_DISCONNECT',
            }),
            c.contactId,
          );
        complete(a, w, {
          answeredAt,
          talkSeconds,
          holdSeconds,
          afterContactStart,
          afterContactSeconds,
          disconnectReason: 'CUSTOMER_DISCONNECT',
        });
        finish({
          contact: c,
          result: 'handled',
          reason: 'stopped',
          queue: w.queue,
          enqueuedAt: w.enqueuedAt,
          queueSeconds: Math.round((answeredAt - w.enqueuedAt) / 1000),
          handleSeconds: talkSeconds + holdSeconds + afterContactSeconds,
        });
      }
      if (a.status !== 'Offline') setStatus(a, 'Offline');
    }
    // The flows already started may still be writing their cases: let them finish.
    await Promise.allSettled(flows);
    return outcomes;
  }
  // Anyone still logged in when nothing is left to happen (e.g. no contact ever came).
  for (const a of agents) if (a.status !== 'Offline' && !a.onContact) setStatus(a, 'Offline');
  return outcomes;
}
