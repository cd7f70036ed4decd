/**
 * The Amazon Connect flow language (Version 2019-10-30), as typed objects. Flows are built from these and
 * serialised token-aware by the stack; never hand-edited JSON. See docs/connect-formats.md §2.
 */
export const FLOW_VERSION = '2019-10-30';
export const MAX_ACTIONS = 250;
export const MAX_CONTENT_CHARS = 256_000;

/**
 * The contact attributes our flows may set, and what each holds. Amazon Connect keeps a contact's attributes
 * with its record for 24 months and cannot erase them, so none may hold personal data: no name, document,
 * phone number, answer or message text — only flags, codes from the deployment and catalogue, and opaque
 * references (a citizen's id, a ticket, a booking) that point at data Ventanilla holds and can erase.
 */
export const KEPT_ATTRIBUTES: Readonly<Record<string, string>> = {
  found: "whether the caller's number is known (true/false)",
  lang: 'the language spoken (es/en)',
  verified: 'whether the caller proved who they are (true/false)',
  citizenId: "the citizen's opaque id, for the agent panel",
  openCaseTicket: 'the ticket of the open case (an opaque reference)',
  topic: 'the catalogue topic chosen',
  queueArn: "the queue of the topic's department",
  needsPerson: 'whether the topic needs a person (true/false)',
  booked: 'whether the topic is booked by appointment (true/false)',
  surgeHere: "whether the topic's department is in surge (true/false)",
  selfService: "the catalogue's self-service answer for the topic (the same for every caller)",
  apptSlot: 'the start of the time slot chosen (an ISO time)',
  apptBooking: "the booking's opaque id",
  ticket: "the case's ticket (an opaque reference)",
  ticketSpoken: 'the ticket spelled out for speech',
  callbackOffered: 'whether a callback was offered (true)',
  callbackRequested: 'whether a callback was requested (true)',
  messageRef:
    "a proactive message's opaque id, which its flow reads the text by (set by Ventanilla's request)",
};

/** Per-department surge flags (`surge_<department>`, true/false), set from the lookup's answer. */
export const SURGE_ATTRIBUTE = /^surge_[a-z0-9_]+$/;

/**
 * The function results a flow may keep as contact attributes (`$.External.<name>`): those that hold nothing
 * personal (see KEPT_ATTRIBUTES).
 */
export const KEPT_RESULTS: ReadonlySet<string> = new Set([
  'found',
  'language',
  'citizenId',
  'openCaseTicket',
  'bookingId',
  'ticket',
  'ticketSpoken',
]);

/** Whether a contact attribute may be kept, by its name. */
export const isKeptAttribute = (name: string): boolean =>
  name in KEPT_ATTRIBUTES || SURGE_ATTRIBUTE.test(name);

/** Whether a function result may be kept as a contact attribute: listed, a surge flag, or a slot offered. */
export const isKeptResult = (name: string): boolean =>
  KEPT_RESULTS.has(name) || SURGE_ATTRIBUTE.test(name) || /^slot[0-9]+$/.test(name);

/**
 * The block types the local flow engine runs (local/flow-engine.ts, one `case` each): the contact flows
 * we generate use only these, so every path of them can be played on this machine.
 */
export const ENGINE_BLOCK_TYPES = [
  'UpdateFlowLoggingBehavior',
  'UpdateContactEventHooks',
  'MessageParticipant',
  'UpdateContactAttributes',
  'Compare',
  'Loop',
  'GetParticipantInput',
  'ConnectParticipantWithLexBot',
  'InvokeLambdaFunction',
  'UpdateContactTargetQueue',
  'CheckHoursOfOperation',
  'GetMetricData',
  'UpdateContactCallbackNumber',
  'CreateCallbackContact',
  'TransferContactToQueue',
  'TransferToFlow',
  'DisconnectParticipant',
] as const;

/**
 * Connect block types the validator knows but only Amazon Connect runs: a flow with one of them can be
 * deployed (the customer-queue flow, published exports) but not played by the local flow engine.
 */
export const DEPLOY_ONLY_BLOCK_TYPES = [
  'DequeueContactAndTransferToQueue',
  'UpdateContactTextToSpeechVoice',
  'UpdateContactData',
  'UpdateContactRecordingBehavior',
  'UpdateFlowAttributes',
  'UpdateContactRoutingBehavior',
  'CheckMetricData',
  'MessageParticipantIteratively',
  'DistributeByPercentage',
  'CreateTask',
  'GetCustomerProfile',
  'CreateWisdomSession',
  'EndFlowExecution',
] as const;

export type Operator =
  | 'Equals'
  | 'TextStartsWith'
  | 'TextEndsWith'
  | 'TextContains'
  | 'NumberGreaterThan'
  | 'NumberGreaterOrEqualTo'
  | 'NumberLessThan'
  | 'NumberLessOrEqualTo';

export interface Condition {
  readonly NextAction: string;
  readonly Condition: { readonly Operator: Operator; readonly Operands: readonly string[] };
}
export interface ErrorTransition {
  readonly ErrorType: string;
  readonly NextAction: string;
}
export interface Transitions {
  readonly NextAction?: string;
  readonly Errors?: readonly ErrorTransition[];
  readonly Conditions?: readonly Condition[];
}
export interface Action {
  readonly Identifier: string;
  readonly Type: string;
  readonly Parameters: Readonly<Record<string, unknown>>;
  readonly Transitions: Transitions;
}
export interface Flow {
  readonly Version: string;
  readonly StartAction: string;
  readonly Metadata?: Readonly<Record<string, unknown>>;
  readonly Actions: readonly Action[];
}
