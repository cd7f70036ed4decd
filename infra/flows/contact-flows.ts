import type { LineEntry } from '../../shared/domain/catalogue';
import type { Language } from '../../shared/domain/citizen';
import type { CallbackSettings, Deployment } from '../../shared/domain/deployment';
import { surgeAttribute } from '../../shared/domain/surge';
import {
  checkHours,
  compare,
  createCallback,
  disconnect,
  equals,
  FlowBuilder,
  invoke,
  logging,
  loop,
  message,
  queueMetrics,
  setAttributes,
  setCallbackNumber,
  setCustomerQueueFlow,
  setQueue,
  storeKeys,
  transferToFlow,
  transferToQueue,
  when,
} from './builder';
import type { Flow } from './flow-language';
import {
  AGENT_INTENT,
  botDefinition,
  CANCEL_INTENT,
  CHOICE_INTENTS,
  CONFIRM_INTENT,
  START_MESSAGES_INTENT,
  STOP_MESSAGES_INTENT,
} from './lex-bot';
import {
  APPOINTMENT_PROMPTS,
  CALLBACK_PROMPTS,
  CONSENT_PROMPTS,
  OUTBOUND_PROMPTS,
  PROMPTS,
  TEXT_PROMPTS,
  type Prompts,
} from './prompts';

/** What the flows point at: ARNs (CDK tokens at synth, local ids in the flow engine). */
export interface FlowTargets {
  /** The Lex bot alias per language, for text channels (absent: no text flow). */
  readonly lexAliases?: Readonly<Partial<Record<Language, string>>>;
  readonly functions: {
    readonly lookup: string;
    readonly createCase: string;
    readonly status: string;
    /** Appointments on the lines (absent: the deployment books none). */
    readonly appointments?: string;
    /** Queued callbacks on the voice line (absent: the deployment offers none). */
    readonly callbacks?: string;
    /** The text of a proactive message, read by its reference. */
    readonly message: string;
    /** STOP / START of proactive messages, on the text channels. */
    readonly consent: string;
  };
  /** Queue per department id. */
  readonly queues: Readonly<Record<string, string>>;
  /** The department whose queue takes anyone who asks for a person outside a topic. */
  readonly generalDepartment: string;
  readonly customerQueueFlow: string;
  readonly statusLineFlow: string;
}

export interface GeneratedFlow {
  readonly flow: Flow;
  /** Keys each DTMF menu offers, for the validator. */
  readonly menuKeys: Readonly<Record<string, readonly string[]>>;
}

interface MenuNode {
  readonly key: string;
  readonly entry?: LineEntry;
  readonly children: MenuNode[];
}

/** The DTMF menu tree from the catalogue's menu keys ("2-3" is option 3 of sub-menu 2). */
export function menuTree(entries: readonly LineEntry[]): MenuNode[] {
  const root: MenuNode[] = [];
  for (const entry of [...entries].sort((a, b) => a.menuKey.localeCompare(b.menuKey))) {
    let level = root;
    const keys = entry.menuKey.split('-');
    keys.forEach((key, i) => {
      let node = level.find((n) => n.key === key);
      if (!node) {
        node = { key, ...(i === keys.length - 1 ? { entry } : {}), children: [] };
        level.push(node);
      }
      level = node.children;
    });
  }
  return root;
}

const fill = (text: string, deployment: Deployment, language: Language) =>
  text.replace(/\{name\}/g, deployment.name[language]);

/** The label of a sub-menu: its entries' department when they share one. */
function label(node: MenuNode, deployment: Deployment, language: Language): string {
  if (node.entry) return node.entry.name[language];
  const departments = new Set(collect(node).map((e) => e.department));
  const department = deployment.departments.find((d) => departments.size === 1 && departments.has(d.id));
  return department
    ? department.name[language]
    : collect(node)
        .map((e) => e.name[language])
        .join(', ');
}
const collect = (node: MenuNode): LineEntry[] => [
  ...(node.entry ? [node.entry] : []),
  ...node.children.flatMap(collect),
];

/** What the pieces of one language's journey share. */
interface Journey {
  readonly id: (name: string) => string;
  readonly say: (text: string) => string;
  readonly p: Prompts;
  readonly t: FlowTargets;
  readonly l: Language;
  /** What a contact hears when no person can take it now: a caller is asked to call back, a writer to write. */
  readonly closed: string;
}

/**
 * One block per catalogue entry: it notes the topic, its queue, its answer and whether its department is in
 * surge (`surgeHere`: then a short announcement), then routes.
 */
function addTopics(
  b: FlowBuilder,
  { id, t, l }: Journey,
  catalogue: readonly LineEntry[],
  answer: (e: LineEntry) => string,
  booked: ReadonlySet<string> = new Set(),
) {
  for (const entry of catalogue)
    b.add(
      setAttributes(
        id(`topic-${entry.id}`),
        {
          topic: entry.id,
          queueArn: t.queues[entry.department]!,
          needsPerson: String(entry.needsPerson),
          // A procedure some office books: first the offer of an appointment.
          booked: String(booked.has(entry.id)),
          // Its department's surge, as the lookup said at the start of the contact.
          surgeHere: `$.Attributes.${surgeAttribute(entry.department)}`,
          selfService: answer(entry),
        },
        id('surge-here'),
        id('agent'),
      ),
    );
  b.add(
    compare(id('surge-here'), '$.Attributes.surgeHere', [equals(id('surge-say'), 'true')], id('topic-go')),
  );
  b.add(message(id('surge-say'), CALLBACK_PROMPTS[l].surge, id('topic-go')));
  b.add(
    compare(
      id('topic-go'),
      '$.Attributes.booked',
      booked.size ? [equals(id('appt-offer'), 'true')] : [],
      id('route'),
    ),
  );
  b.add(
    compare(id('route'), '$.Attributes.needsPerson', [equals(id('create-case'), 'true')], id('self-service')),
  );
}

/**
 * A case for the topic, its ticket told to the caller, then the department's queue if it is open (with the
 * customer-queue flow) or the after-hours promise; and the way to a person and a goodbye from anywhere.
 */
function addCaseQueueAndPerson(b: FlowBuilder, ctx: Journey, ticketIs: string, callbacks?: CallbackSettings) {
  const { id, say, p, t, l } = ctx;
  b.add(
    invoke(
      id('create-case'),
      t.functions.createCase,
      { topic: '$.Attributes.topic', language: l },
      id('case-made'),
      id('agent'),
    ),
  );
  b.add(compare(id('case-made'), '$.External.outcome', [equals(id('keep-ticket'), 'OK')], id('agent')));
  b.add(
    setAttributes(
      id('keep-ticket'),
      { ticket: '$.External.ticket', ticketSpoken: '$.External.ticketSpoken' },
      id('read-ticket'),
      id('agent'),
    ),
  );
  b.add(message(id('read-ticket'), ticketIs, id('set-queue')));
  b.add(setQueue(id('set-queue'), '$.Attributes.queueArn', id('hours'), id('agent')));
  const open = callbacks && t.functions.callbacks ? id('cb-surge') : id('queue-flow');
  b.add(checkHours(id('hours'), open, id('after-hours'), open));
  b.add(message(id('after-hours'), say(p.afterHours), id('goodbye')));
  if (callbacks && t.functions.callbacks) addCallbackOffer(b, ctx, callbacks, t.functions.callbacks);
  b.add(setCustomerQueueFlow(id('queue-flow'), t.customerQueueFlow, id('transfer')));
  b.add(transferToQueue(id('transfer'), 'end', id('busy')));
  addPersonAndGoodbye(b, ctx);
}

/**
 * A queued callback, before the caller joins the department's queue: offered in surge, or when the queue is
 * long by Connect's queue metrics (contacts in queue, oldest contact's age, over the deployment's levels).
 * One pending per number: a caller who has one hears so and keeps it or cancels it (then waits on the line).
 * The number is the caller's or one they key, checked by the function; Connect's Set callback number and
 * Create callback contact blocks do the rest, and the caller hears the last digits of the number and may
 * hang up. A request Connect did not take is withdrawn; anything else that fails: the queue, as before.
 */
function addCallbackOffer(b: FlowBuilder, ctx: Journey, settings: CallbackSettings, fn: string) {
  const { id, l } = ctx;
  const cp = CALLBACK_PROMPTS[l];
  const queue = id('queue-flow');
  const call = (name: string, parameters: Record<string, string>, next: string, onError = queue) =>
    b.add(invoke(id(name), fn, { language: l, ...parameters }, next, onError));
  b.add(
    compare(id('cb-surge'), '$.Attributes.surgeHere', [equals(id('cb-check'), 'true')], id('cb-metrics')),
  );
  b.add(queueMetrics(id('cb-metrics'), id('cb-size'), queue));
  b.add(
    compare(
      id('cb-size'),
      '$.Metrics.Queue.Size',
      [when(id('cb-check'), 'NumberGreaterThan', String(settings.offerWhen.contactsInQueue))],
      id('cb-age'),
    ),
  );
  b.add(
    compare(
      id('cb-age'),
      '$.Metrics.Queue.OldestContactAge',
      [when(id('cb-check'), 'NumberGreaterThan', String(settings.offerWhen.oldestContactSeconds))],
      queue,
    ),
  );
  call('cb-check', { action: 'check' }, id('cb-pending'));
  b.add(compare(id('cb-pending'), '$.External.pending', [equals(id('cb-manage'), 'true')], id('cb-offered')));
  b.menu(id('cb-manage'), cp.pending, { '1': id('cb-kept'), '2': id('cb-cancel') }, id('cb-kept'), queue);
  b.add(message(id('cb-kept'), cp.kept, id('goodbye')));
  call('cb-cancel', { action: 'cancel' }, id('cb-cancelled'));
  b.add(message(id('cb-cancelled'), cp.cancelled, queue));
  // Counted in the metrics from the contact's record: offered, and below, requested.
  b.add(setAttributes(id('cb-offered'), { callbackOffered: 'true' }, id('cb-offer'), queue));
  b.menu(id('cb-offer'), cp.offer, { '1': id('cb-which'), '2': queue }, queue, queue);
  b.menu(
    id('cb-which'),
    cp.whichNumber,
    { '1': id('cb-request-own'), '2': id('cb-key') },
    id('cb-request-own'),
    queue,
  );
  call(
    'cb-request-own',
    { action: 'request', queue: '$.Attributes.queueArn', topic: '$.Attributes.topic' },
    id('cb-requested'),
  );
  b.add(storeKeys(id('cb-key'), cp.keyNumber, 16, id('cb-request-keyed'), queue));
  call(
    'cb-request-keyed',
    {
      action: 'request',
      keyed: '$.StoredCustomerInput',
      queue: '$.Attributes.queueArn',
      topic: '$.Attributes.topic',
    },
    id('cb-requested'),
  );
  b.add(
    compare(
      id('cb-requested'),
      '$.External.outcome',
      [equals(id('cb-result'), 'OK'), equals(id('cb-invalid'), 'INVALID_INPUT')],
      queue,
    ),
  );
  b.add(message(id('cb-invalid'), cp.invalidNumber, id('cb-key-retry')));
  b.add(loop(id('cb-key-retry'), 1, id('cb-key'), queue));
  b.add(
    compare(
      id('cb-result'),
      '$.External.result',
      [equals(id('cb-set-number'), 'requested')],
      id('cb-manage'),
    ),
  );
  b.add(
    setCallbackNumber(id('cb-set-number'), '$.External.callbackNumber', id('cb-create'), id('cb-withdraw')),
  );
  b.add(createCallback(id('cb-create'), '$.Attributes.queueArn', settings, id('cb-made'), id('cb-withdraw')));
  b.add(setAttributes(id('cb-made'), { callbackRequested: 'true' }, id('cb-confirmed'), id('cb-confirmed')));
  b.add(message(id('cb-confirmed'), cp.confirmed, id('goodbye')));
  // Connect did not take it: the request is withdrawn, so the number's next call is not told one is pending.
  call('cb-withdraw', { action: 'cancel' }, queue);
}

/** A person, from anywhere: the general queue if it is open; otherwise, or if it is full, a polite goodbye. */
function addPersonAndGoodbye(b: FlowBuilder, { id, say, p, t, closed }: Journey) {
  b.add(setQueue(id('agent'), t.queues[t.generalDepartment]!, id('agent-hours'), id('busy')));
  b.add(checkHours(id('agent-hours'), id('agent-queue-flow'), id('closed'), id('agent-queue-flow')));
  b.add(message(id('closed'), say(closed), id('goodbye')));
  b.add(setCustomerQueueFlow(id('agent-queue-flow'), t.customerQueueFlow, id('agent-transfer')));
  b.add(transferToQueue(id('agent-transfer'), 'end', id('busy')));
  b.add(message(id('busy'), say(p.busy), id('goodbye')));
  b.add(message(id('goodbye'), say(p.goodbye), 'end'));
}

/**
 * The caller proves who they are by keying the document on record (the lookup function checks it and counts
 * failures per number per day). Verified: `verified` is set for the agent's screen pop and the caller is
 * thanked by name, then `next`. A wrong document may be keyed again while the deployment allows; locked out,
 * nothing on record to key, or any error: a person.
 */
function addVerification(b: FlowBuilder, { id, p, t, l }: Journey, retries: number, next: string) {
  b.add(storeKeys(id('verify-ask'), p.keyDocument, 20, id('verify-keyed'), id('agent')));
  b.add(
    compare(
      id('verify-keyed'),
      '$.StoredCustomerInput',
      [equals(id('verify-retry'), 'Timeout')],
      id('verify'),
    ),
  );
  b.add(
    invoke(
      id('verify'),
      t.functions.lookup,
      { verifyDocument: '$.StoredCustomerInput', language: l },
      id('verify-outcome'),
      id('agent'),
    ),
  );
  b.add(
    compare(
      id('verify-outcome'),
      '$.External.verification',
      [equals(id('verify-keep'), 'VERIFIED'), equals(id('verify-wrong'), 'WRONG')],
      id('verify-help'),
    ),
  );
  b.add(
    setAttributes(
      id('verify-keep'),
      // The citizen's id (opaque) lets the agent's panel show them at once; nothing personal.
      { verified: 'true', citizenId: '$.External.citizenId', openCaseTicket: '$.External.openCaseTicket' },
      id('verify-thanks'),
      id('agent'),
    ),
  );
  b.add(message(id('verify-thanks'), p.verified, next));
  b.add(message(id('verify-wrong'), p.verifyWrong, id('verify-retry')));
  b.add(loop(id('verify-retry'), retries, id('verify-ask'), id('verify-help')));
  b.add(message(id('verify-help'), p.verifyHelp, id('agent')));
}

/** Each department's surge from the lookup's answer into the contact's attributes (not personal). */
const surgeFromLookup = (deployment: Deployment) =>
  Object.fromEntries(
    deployment.departments.map((d) => [surgeAttribute(d.id), `$.External.${surgeAttribute(d.id)}`]),
  );

/** The procedures some office books, when the flows can book them. */
function bookedTopics(deployment: Deployment, t: FlowTargets): ReadonlySet<string> {
  if (!t.functions.appointments || !deployment.appointments) return new Set();
  return new Set(deployment.appointments.offices.flatMap((o) => o.services.map((s) => s.topic)));
}

/**
 * The appointment journey of a procedure some office books, after its topic block: the offer (or on without
 * one); the caller's booking (said only to a caller proved on this contact: change, cancel, keep) or the next
 * free slots (keys or numbered replies 1–3); a hold on the one chosen and the caller's yes; the booking code
 * said back. A time taken meanwhile or a hold run out offers the free times again; a caller with a booking
 * they have not proved, no free time, or any error reaches a person.
 */
function addAppointments(
  b: FlowBuilder,
  ctx: Journey,
  mode: 'voice' | 'text',
  choose: (
    id: string,
    text: string,
    options: Partial<Record<'1' | '2' | '3' | '0' | 'confirm' | 'cancel', string>>,
    onRetry: string,
  ) => void,
) {
  const { id, t, l } = ctx;
  const ap = APPOINTMENT_PROMPTS[mode][l];
  const fn = t.functions.appointments!;
  const call = (name: string, parameters: Record<string, string>, next: string) =>
    b.add(
      invoke(id(name), fn, { topic: '$.Attributes.topic', language: l, ...parameters }, next, id('agent')),
    );
  choose(
    id('appt-offer'),
    ap.offer,
    { '1': id('appt-options'), '2': id('route'), '0': id('agent') },
    id('route'),
  );
  call('appt-options', { action: 'options' }, id('appt-options-outcome'));
  b.add(
    compare(
      id('appt-options-outcome'),
      '$.External.outcome',
      [equals(id('appt-existing'), 'OK')],
      id('agent'),
    ),
  );
  b.add(
    compare(
      id('appt-existing'),
      '$.External.existing',
      [equals(id('appt-manage'), 'shown'), equals(id('appt-hidden'), 'hidden')],
      id('appt-any'),
    ),
  );
  b.add(message(id('appt-hidden'), ap.hidden, id('agent')));
  choose(
    id('appt-manage'),
    '$.External.existingPrompt',
    { '1': id('appt-any'), '2': id('appt-cancel'), cancel: id('appt-cancel'), '3': id('appt-kept') },
    id('appt-kept'),
  );
  b.add(message(id('appt-kept'), ap.kept, id('goodbye')));
  call('appt-cancel', { action: 'cancel' }, id('appt-cancel-outcome'));
  b.add(
    compare(id('appt-cancel-outcome'), '$.External.outcome', [equals(id('appt-said'), 'OK')], id('agent')),
  );
  b.add(
    compare(
      id('appt-any'),
      '$.External.count',
      [when(id('appt-slots'), 'NumberGreaterThan', '0')],
      id('appt-none'),
    ),
  );
  b.add(message(id('appt-none'), '$.External.slotsPrompt', id('appt-none-person')));
  b.add(message(id('appt-none-person'), ap.none, id('agent')));
  // The chosen slot is kept from the options' answer before the next call replaces it.
  choose(
    id('appt-slots'),
    '$.External.slotsPrompt',
    { '1': id('appt-take-1'), '2': id('appt-take-2'), '3': id('appt-take-3'), '0': id('agent') },
    id('agent'),
  );
  for (const n of [1, 2, 3] as const) {
    b.add(
      setAttributes(id(`appt-take-${n}`), { apptSlot: `$.External.slot${n}` }, id('appt-pick'), id('agent')),
    );
  }
  call('appt-pick', { action: 'pick', slot: '$.Attributes.apptSlot' }, id('appt-pick-outcome'));
  b.add(
    compare(
      id('appt-pick-outcome'),
      '$.External.outcome',
      [
        equals(id('appt-picked'), 'OK'),
        equals(id('appt-taken'), 'SLOT_FULL'),
        equals(id('appt-hidden'), 'BOOKING_LIMIT'),
        equals(id('appt-no-shows'), 'NO_SHOW_LIMIT'),
        equals(id('appt-options'), 'INVALID_INPUT'),
      ],
      id('agent'),
    ),
  );
  b.add(message(id('appt-taken'), ap.taken, id('appt-options')));
  b.add(message(id('appt-no-shows'), ap.noShows, id('agent')));
  b.add(
    compare(id('appt-picked'), '$.External.result', [equals(id('appt-keep-hold'), 'held')], id('appt-said')),
  );
  b.add(
    setAttributes(
      id('appt-keep-hold'),
      { apptBooking: '$.External.bookingId' },
      id('appt-confirm-ask'),
      id('agent'),
    ),
  );
  choose(
    id('appt-confirm-ask'),
    '$.External.prompt',
    { '1': id('appt-confirm'), confirm: id('appt-confirm'), '2': id('appt-release') },
    id('appt-release'),
  );
  call(
    'appt-confirm',
    { action: 'confirm', booking: '$.Attributes.apptBooking' },
    id('appt-confirm-outcome'),
  );
  b.add(
    compare(
      id('appt-confirm-outcome'),
      '$.External.outcome',
      [equals(id('appt-said'), 'OK'), equals(id('appt-expired'), 'HOLD_EXPIRED')],
      id('agent'),
    ),
  );
  b.add(message(id('appt-expired'), ap.expired, id('appt-options')));
  call('appt-release', { action: 'release', booking: '$.Attributes.apptBooking' }, id('appt-options'));
  b.add(message(id('appt-said'), '$.External.prompt', id('goodbye')));
}

/** Branches on the contact's language attribute to `<prefix>-<language>`, the default language otherwise. */
const byLanguage = (identifier: string, deployment: Deployment, prefix: string) =>
  compare(
    identifier,
    '$.Attributes.lang',
    deployment.languages.map((l) => equals(`${prefix}-${l}`, l)),
    `${prefix}-${deployment.defaultLanguage}`,
  );

const TICKET_KEY = '8';
const AGENT_KEY = '0';
const BACK_KEY = '9';
const MENU_RETRIES = 2;

/**
 * The inbound voice flow: logging, caller lookup, language, for a number on record the offer to prove who
 * they are (then a greeting by name and the open case's status first),
 * the catalogue menu, self-service answers with an offer of the link by SMS, case creation with the ticket
 * read back twice, hours check and transfer to the department's queue, and after hours a case with a
 * next-business-day promise. Every failure reaches a person or a polite goodbye.
 */
export function inboundVoiceFlow(
  deployment: Deployment,
  catalogue: readonly LineEntry[],
  t: FlowTargets,
): GeneratedFlow {
  const b = new FlowBuilder();
  const languages = deployment.languages;
  const tree = menuTree(catalogue);
  const booked = bookedTopics(deployment, t);

  b.add(logging('start', 'lookup'));
  b.add(invoke('lookup', t.functions.lookup, {}, 'keep-caller', 'choose-language'));
  b.add(
    // Nothing personal in the contact's attributes (Connect keeps them for 24 months): whether the number is
    // on record, its language, and whether the caller has proved who they are (for the agent's screen pop).
    setAttributes(
      'keep-caller',
      {
        found: '$.External.found',
        lang: '$.External.language',
        verified: 'false',
        ...surgeFromLookup(deployment),
      },
      'known',
      'choose-language',
    ),
  );
  b.add(compare('known', '$.External.found', [equals('by-language', 'true')], 'choose-language'));
  b.add(byLanguage('by-language', deployment, 'greet-known'));
  if (languages.length > 1) {
    const options = Object.fromEntries(languages.map((l, i) => [String(i + 1), `welcome-${l}`]));
    b.menu(
      'choose-language',
      fill(PROMPTS[deployment.defaultLanguage].chooseLanguage, deployment, deployment.defaultLanguage),
      options,
      `welcome-${deployment.defaultLanguage}`,
      `welcome-${deployment.defaultLanguage}`,
    );
  } else b.add(compare('choose-language', '$.Channel', [], `welcome-${deployment.defaultLanguage}`));

  for (const l of languages) {
    const p = PROMPTS[l];
    const say = (text: string) => fill(text, deployment, l);
    const id = (name: string) => `${name}-${l}`;
    const ctx: Journey = { id, say, p, t, l, closed: p.closed };

    b.add(setAttributes(id('welcome'), { lang: l }, id('say-welcome'), id('menu')));
    b.add(message(id('say-welcome'), say(p.welcome), id('menu')));
    // A number on record is not proof of who calls: a generic welcome, and the offer to prove it.
    b.add(message(id('greet-known'), say(p.welcome), id('offer-verify')));
    b.menu(
      id('offer-verify'),
      p.offerVerify,
      { '1': id('verify-ask'), '2': id('menu') },
      id('menu'),
      id('menu'),
    );
    addVerification(b, ctx, deployment.callerVerification.maxFailuresPerDay - 1, id('has-open-case'));
    b.add(
      compare(
        id('has-open-case'),
        '$.External.openCaseCount',
        [when(id('offer-status'), 'NumberGreaterThan', '0')],
        id('menu'),
      ),
    );
    b.menu(
      id('offer-status'),
      say(p.offerStatus),
      { '1': id('open-case-status'), '2': id('menu') },
      id('menu'),
      id('menu'),
    );
    b.add(
      invoke(
        id('open-case-status'),
        t.functions.status,
        { ticket: '$.Attributes.openCaseTicket', language: l },
        id('open-case-outcome'),
        id('menu'),
      ),
    );
    b.add(
      compare(
        id('open-case-outcome'),
        '$.External.outcome',
        [equals(id('say-open-case-status'), 'OK')],
        id('menu'),
      ),
    );
    b.add(message(id('say-open-case-status'), '$.External.message', id('menu')));

    // Menus: the top level adds the ticket line and a person; sub-menus add "back".
    const menus: [string, MenuNode[], boolean][] = [[id('menu'), tree, true]];
    const pathOf = new Map<MenuNode, string>();
    const walk = (nodes: MenuNode[], path: string) =>
      nodes.forEach((n) => {
        const here = path ? `${path}${n.key}` : n.key;
        pathOf.set(n, here);
        if (n.children.length) {
          menus.push([id(`menu${here}`), n.children, false]);
          walk(n.children, here);
        }
      });
    walk(tree, '');
    for (const [menuId, nodes, top] of menus) {
      const options: Record<string, string> = {};
      const lines = [p.menuIntro];
      for (const n of nodes) {
        options[n.key] = n.entry ? id(`topic-${n.entry.id}`) : id(`menu${pathOf.get(n)}`);
        lines.push(p.press(label(n, deployment, l), n.key));
      }
      if (top) {
        options[TICKET_KEY] = id('ticket-line');
        lines.push(p.press(p.ticketOption, TICKET_KEY));
      } else {
        options[BACK_KEY] = id('menu');
        lines.push(p.press(p.backOption, BACK_KEY));
      }
      options[AGENT_KEY] = id('agent');
      lines.push(p.press(p.agentOption, AGENT_KEY));
      b.menu(menuId, lines.join(' '), options, id('retry'), id('agent'));
    }
    // A wrong key or silence: say so and replay, twice; the third time, a person.
    b.add(loop(id('retry'), MENU_RETRIES, id('invalid'), id('agent')));
    b.add(message(id('invalid'), p.invalid, id('menu')));

    addTopics(b, ctx, catalogue, (entry) => entry.selfService[l], booked);
    if (booked.size)
      addAppointments(b, ctx, 'voice', (menuId, text, options, onRetry) =>
        b.menu(
          menuId,
          text,
          Object.fromEntries(Object.entries(options).filter(([key]) => /^\d$/.test(key))),
          onRetry,
          id('agent'),
        ),
      );
    b.add(message(id('self-service'), '$.Attributes.selfService', id('self-service-surge')));
    // In surge the answer and its link go by text message, and the line is left to those who need a person.
    b.add(
      compare(
        id('self-service-surge'),
        '$.Attributes.surgeHere',
        [equals(id('surge-link'), 'true')],
        id('after-self-service'),
      ),
    );
    b.add(
      invoke(
        id('surge-link'),
        t.functions.createCase,
        { topic: '$.Attributes.topic', request: 'link-by-sms', language: l },
        id('surge-link-sent'),
        id('after-self-service'),
      ),
    );
    b.add(
      compare(
        id('surge-link-sent'),
        '$.External.outcome',
        [equals(id('surge-link-said'), 'OK')],
        id('after-self-service'),
      ),
    );
    b.add(message(id('surge-link-said'), CALLBACK_PROMPTS[l].surgeLink, id('goodbye')));
    b.menu(
      id('after-self-service'),
      p.afterSelfService,
      { '1': id('request-link'), '2': id('create-case'), '3': id('goodbye') },
      id('goodbye'),
      id('agent'),
    );
    b.add(
      invoke(
        id('request-link'),
        t.functions.createCase,
        { topic: '$.Attributes.topic', request: 'link-by-sms', language: l },
        id('link-ticket'),
        id('agent'),
      ),
    );
    b.add(compare(id('link-ticket'), '$.External.outcome', [equals(id('say-link'), 'OK')], id('agent')));
    b.add(message(id('say-link'), p.linkRequested, id('goodbye')));

    addCaseQueueAndPerson(b, ctx, p.ticketIs, deployment.callbacks);
    b.add(transferToFlow(id('ticket-line'), t.statusLineFlow, id('agent')));
  }
  b.add(disconnect('end'));
  return { flow: b.build('start'), menuKeys: b.menuKeys };
}

/**
 * The ticket status line: a caller who has not proved who they are on this contact does so first (the
 * document on record, keyed); then they key the ticket and hear its status (and the answer, when there is
 * one) if it is theirs. "Not found" and "not yours" sound the same. A mistyped ticket may be keyed again;
 * anyone who cannot be helped reaches a person.
 */
export function statusLineFlow(deployment: Deployment, t: FlowTargets): GeneratedFlow {
  const b = new FlowBuilder();
  const languages = deployment.languages;
  b.add(logging('start', 'by-language'));
  b.add(byLanguage('by-language', deployment, 'check-verified'));
  for (const l of languages) {
    const p = PROMPTS[l];
    const say = (text: string) => fill(text, deployment, l);
    const id = (name: string) => `${name}-${l}`;
    const ctx: Journey = { id, say, p, t, l, closed: p.closed };
    b.add(
      compare(
        id('check-verified'),
        '$.Attributes.verified',
        [equals(id('key-ticket'), 'true')],
        id('verify-ask'),
      ),
    );
    addVerification(b, ctx, deployment.callerVerification.maxFailuresPerDay - 1, id('key-ticket'));
    b.add(storeKeys(id('key-ticket'), p.keyTicket, 12, id('keyed'), id('agent')));
    b.add(compare(id('keyed'), '$.StoredCustomerInput', [equals(id('retry'), 'Timeout')], id('status')));
    b.add(
      invoke(
        id('status'),
        t.functions.status,
        { ticket: '$.StoredCustomerInput', language: l },
        id('outcome'),
        id('agent'),
      ),
    );
    b.add(
      compare(
        id('outcome'),
        '$.External.outcome',
        [
          equals(id('say-status'), 'OK'),
          equals(id('invalid'), 'INVALID_TICKET'),
          equals(id('not-found'), 'NOT_FOUND'),
          equals(id('verify-ask'), 'UNVERIFIED'),
        ],
        id('agent'),
      ),
    );
    b.add(message(id('say-status'), '$.External.message', id('goodbye')));
    b.add(message(id('invalid'), p.invalidTicket, id('retry')));
    b.add(message(id('not-found'), p.notFound, id('retry')));
    b.add(loop(id('retry'), MENU_RETRIES, id('key-ticket'), id('agent')));
    addPersonAndGoodbye(b, ctx);
  }
  b.add(disconnect('end'));
  return { flow: b.build('start'), menuKeys: b.menuKeys };
}

/**
 * What a caller hears while queued: how many contacts wait in their queue (Connect's near-real-time queue
 * metrics; a contact's own position is only available through the GetContactMetrics API), then a courtesy
 * message repeated while they wait, in their language.
 */
export function customerQueueFlow(deployment: Deployment): GeneratedFlow {
  const b = new FlowBuilder();
  const languages = deployment.languages;
  b.add(byLanguage('by-language', deployment, 'metrics'));
  for (const l of languages) {
    b.add({
      Identifier: `metrics-${l}`,
      Type: 'GetMetricData',
      Parameters: {},
      Transitions: {
        NextAction: `waiting-${l}`,
        Errors: [{ ErrorType: 'NoMatchingError', NextAction: `hold-${l}` }],
      },
    });
    b.add(message(`waiting-${l}`, PROMPTS[l].queueSize, `hold-${l}`));
    b.add({
      Identifier: `hold-${l}`,
      Type: 'MessageParticipantIteratively',
      Parameters: { Messages: [{ Text: PROMPTS[l].queueHold }] },
      Transitions: { NextAction: 'done', Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'done' }] },
    });
  }
  b.add({ Identifier: 'done', Type: 'EndFlowExecution', Parameters: {}, Transitions: {} });
  return { flow: b.build('by-language'), menuKeys: b.menuKeys };
}

/**
 * Chat, SMS and WhatsApp: the same journey in text. Connect's DTMF block is voice-only, so the caller's words go
 * to the Lex bot generated from the catalogue; a topic that needs no person gets its answer (and link) in the
 * conversation, one that does gets a case and a ticket, then the department's queue.
 */
export function inboundTextFlow(
  deployment: Deployment,
  catalogue: readonly LineEntry[],
  t: FlowTargets,
): GeneratedFlow {
  const b = new FlowBuilder();
  const languages = deployment.languages;
  const booked = bookedTopics(deployment, t);
  const bot = botDefinition(languages, catalogue, booked.size > 0);
  b.add(logging('start', 'lookup'));
  b.add(invoke('lookup', t.functions.lookup, {}, 'keep-caller', `welcome-${deployment.defaultLanguage}`));
  b.add(
    setAttributes(
      'keep-caller',
      {
        found: '$.External.found',
        lang: '$.External.language',
        verified: 'false',
        ...surgeFromLookup(deployment),
      },
      'by-language',
      `welcome-${deployment.defaultLanguage}`,
    ),
  );
  b.add(byLanguage('by-language', deployment, 'welcome'));
  for (const l of languages) {
    const p = PROMPTS[l];
    const tp = TEXT_PROMPTS[l];
    const say = (text: string) => fill(text, deployment, l);
    const id = (name: string) => `${name}-${l}`;
    const ctx: Journey = { id, say, p, t, l, closed: tp.closed };
    const alias = t.lexAliases?.[l];
    if (!alias) throw new Error(`no Lex bot alias for language "${l}"`);
    const locale = bot.find((x) => x.language === l)!;
    const menu = catalogue.map((e) => `${e.menuKey} ${e.name[l]}`).join('\n');
    b.add(setAttributes(id('welcome'), { lang: l }, id('say-welcome'), id('agent')));
    b.add(message(id('say-welcome'), `${say(p.welcome)} ${tp.menu}\n${menu}\n${tp.agentHint}`, id('ask')));
    b.add({
      Identifier: id('ask'),
      Type: 'ConnectParticipantWithLexBot',
      Parameters: { Text: tp.ask, LexV2Bot: { AliasArn: alias }, LexTimeoutSeconds: { Text: '300' } },
      Transitions: {
        NextAction: id('retry'),
        // The topics and a person; with appointments, 1/yes and 2/cancel answer a reminder or an offer.
        Conditions: [
          ...locale.intents
            .filter((intent) => intent.name === AGENT_INTENT || intent.topicId)
            .map((intent) =>
              equals(intent.name === AGENT_INTENT ? id('agent') : id(`topic-${intent.topicId}`), intent.name),
            ),
          equals(id('consent-stop'), STOP_MESSAGES_INTENT),
          equals(id('consent-start'), START_MESSAGES_INTENT),
          ...(booked.size
            ? [
                equals(id('appt-reply-keep'), CHOICE_INTENTS[0]),
                equals(id('appt-reply-keep'), CONFIRM_INTENT),
                equals(id('appt-reply-cancel'), CHOICE_INTENTS[1]),
                equals(id('appt-reply-cancel'), CANCEL_INTENT),
              ]
            : []),
        ],
        Errors: [
          { ErrorType: 'InputTimeLimitExceeded', NextAction: id('goodbye') },
          { ErrorType: 'NoMatchingCondition', NextAction: id('retry') },
          { ErrorType: 'NoMatchingError', NextAction: id('agent') },
        ],
      },
    });
    b.add(loop(id('retry'), MENU_RETRIES, id('not-understood'), id('agent')));
    b.add(message(id('not-understood'), tp.notUnderstood, id('ask')));
    addConsent(b, ctx, t.functions.consent);
    addTopics(
      b,
      ctx,
      catalogue,
      (entry) => [entry.selfService[l], entry.link].filter(Boolean).join(' '),
      booked,
    );
    if (booked.size) {
      const intentOf = {
        '1': CHOICE_INTENTS[0],
        '2': CHOICE_INTENTS[1],
        '3': CHOICE_INTENTS[2],
        '0': AGENT_INTENT,
        confirm: CONFIRM_INTENT,
        cancel: CANCEL_INTENT,
      } as const;
      // A reply to a reminder or an offer: kept or cancelled; nothing pending for this number, the menu again.
      for (const answer of ['keep', 'cancel'] as const) {
        b.add(
          invoke(
            id(`appt-reply-${answer}`),
            t.functions.appointments!,
            { action: 'reply', answer, language: l },
            id(`appt-reply-${answer}-outcome`),
            id('agent'),
          ),
        );
        b.add(
          compare(
            id(`appt-reply-${answer}-outcome`),
            '$.External.outcome',
            [equals(id('appt-said'), 'OK'), equals(id('appt-no-reply'), 'NOT_FOUND')],
            id('agent'),
          ),
        );
      }
      b.add(message(id('appt-no-reply'), APPOINTMENT_PROMPTS.text[l].nothingPending, id('ask')));
      addAppointments(b, ctx, 'text', (choiceId, text, options, onRetry) =>
        b.add({
          Identifier: choiceId,
          Type: 'ConnectParticipantWithLexBot',
          Parameters: { Text: text, LexV2Bot: { AliasArn: alias }, LexTimeoutSeconds: { Text: '300' } },
          Transitions: {
            NextAction: onRetry,
            Conditions: Object.entries(options).map(([key, next]) =>
              equals(next!, intentOf[key as keyof typeof intentOf]),
            ),
            Errors: [
              { ErrorType: 'InputTimeLimitExceeded', NextAction: id('goodbye') },
              { ErrorType: 'NoMatchingCondition', NextAction: onRetry },
              { ErrorType: 'NoMatchingError', NextAction: id('agent') },
            ],
          },
        }),
      );
    }
    b.add(message(id('self-service'), '$.Attributes.selfService', id('anything-else')));
    b.add(message(id('anything-else'), tp.anythingElse, id('ask')));
    addCaseQueueAndPerson(b, ctx, tp.ticketIs);
  }
  b.add(disconnect('end'));
  return { flow: b.build('start'), menuKeys: b.menuKeys };
}

/**
 * STOP / BAJA and START / ALTA: the consent function records the change for the number the message comes from,
 * and the conversation ends with what changed (a citizen who wrote STOP wants no more words). Web chat has no
 * number to stop: it says so and asks again. A change not recorded goes to a person, never dropped.
 */
function addConsent(b: FlowBuilder, { id, l }: Journey, consentFunction: string) {
  const cp = CONSENT_PROMPTS[l];
  for (const [action, said] of [
    ['stop', cp.stopped],
    ['start', cp.started],
  ] as const) {
    b.add(
      invoke(
        id(`consent-${action}`),
        consentFunction,
        { action },
        id(`consent-${action}-outcome`),
        id('consent-failed'),
      ),
    );
    b.add(
      compare(
        id(`consent-${action}-outcome`),
        '$.External.outcome',
        [equals(id(`consent-${action}-done`), 'OK'), equals(id('consent-no-number'), 'NOT_FOUND')],
        id('consent-failed'),
      ),
    );
    b.add(message(id(`consent-${action}-done`), said, 'end'));
  }
  b.add(message(id('consent-no-number'), cp.noNumber, id('ask')));
  b.add(message(id('consent-failed'), cp.failed, id('agent')));
}

/**
 * A proactive message (an answer, a requested link): Connect starts it as an outbound SMS or WhatsApp chat
 * carrying only the message's id (`$.Attributes.messageRef`); this flow reads the text by it from the message
 * function, says it without keeping it, and the contact ends. A text it cannot read becomes a note, in the
 * message's language, to write back. A citizen who replies starts a new inbound contact, which the inbound
 * text flow takes.
 */
export function outboundMessageFlow(messageFunction: string): GeneratedFlow {
  const b = new FlowBuilder();
  b.add(logging('start', 'read'));
  b.add(invoke('read', messageFunction, { messageRef: '$.Attributes.messageRef' }, 'read-ok', 'unread'));
  b.add(compare('read-ok', '$.External.outcome', [equals('say', 'OK')], 'unread'));
  b.add(message('say', '$.External.text', 'end'));
  b.add(compare('unread', '$.Attributes.lang', [equals('unread-en', 'en')], 'unread-es'));
  b.add(message('unread-es', OUTBOUND_PROMPTS.es.unread, 'end'));
  b.add(message('unread-en', OUTBOUND_PROMPTS.en.unread, 'end'));
  b.add(disconnect('end'));
  return { flow: b.build('start'), menuKeys: b.menuKeys };
}

/**
 * Follow-up work handed to agents as a Connect task: queued on its department's queue (`$.Attributes.queueArn`),
 * or on the general queue when that is missing or refused, so no follow-up is ever dropped.
 */
export function followUpTaskFlow(t: Pick<FlowTargets, 'queues' | 'generalDepartment'>): GeneratedFlow {
  const b = new FlowBuilder();
  b.add(logging('start', 'department-queue'));
  b.add(setQueue('department-queue', '$.Attributes.queueArn', 'transfer', 'general-queue'));
  b.add(transferToQueue('transfer', 'end', 'general-queue'));
  b.add(setQueue('general-queue', t.queues[t.generalDepartment]!, 'general-transfer', 'end'));
  b.add(transferToQueue('general-transfer', 'end', 'end'));
  b.add(disconnect('end'));
  return { flow: b.build('start'), menuKeys: b.menuKeys };
}
