import {
  DEPLOY_ONLY_BLOCK_TYPES,
  ENGINE_BLOCK_TYPES,
  FLOW_VERSION,
  isKeptAttribute,
  isKeptResult,
  MAX_ACTIONS,
  MAX_CONTENT_CHARS,
  type Action,
  type Flow,
} from './flow-language';

/** What the validator knows beyond the flow itself. */
export interface FlowContext {
  /**
   * The flow's type. Contact flows carry a caller, so they get the caller-safety rules: every block's error
   * branches present, and no failure that ends the contact without a goodbye. Default CONTACT_FLOW.
   */
  readonly flowType?: string;
  /**
   * The flow runs for a task, which has no caller to drop but is work that must not be lost: every error
   * branch is still required, and no path may end the task before it is in a queue — unless two different
   * queues (its own and the general one) refused it, which Connect counts as a flow error (an alarm).
   */
  readonly task?: boolean;
  /**
   * The flow must be playable by the local flow engine (our generated contact flows): a block that only
   * Connect runs is then an error too. Unknown block types are errors always.
   */
  readonly runsLocally?: boolean;
  /** The keys each DTMF menu (by action id) tells the caller to press. */
  readonly menuKeys?: Readonly<Record<string, readonly string[]>>;
  /** Function ARNs associated with the instance (CfnIntegrationAssociation). */
  readonly associatedFunctions?: ReadonlySet<string>;
  /** Function ARNs whose resource policy lets connect.amazonaws.com invoke them. */
  readonly permittedFunctions?: ReadonlySet<string>;
  /** The serialised content, when known, for the size limit. */
  readonly content?: string;
}

export class FlowValidationError extends Error {
  constructor(
    readonly flowName: string,
    readonly problems: readonly string[],
  ) {
    super(`flow "${flowName}" is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'FlowValidationError';
  }
}

const ILLEGAL_ID = /[%:()\\/=$,;[\]{}]/;
const RESERVED = new Set(['__proto__', 'constructor', 'toString', 'prototype', 'valueOf', 'hasOwnProperty']);

/** Error branches each block type must declare, so no failure leaves the caller stranded. */
const REQUIRED_ERRORS: Readonly<Record<string, readonly string[]>> = {
  MessageParticipant: ['NoMatchingError'],
  GetParticipantInput: ['NoMatchingError', 'NoMatchingCondition', 'InputTimeLimitExceeded'],
  ConnectParticipantWithLexBot: ['NoMatchingError', 'NoMatchingCondition'],
  InvokeLambdaFunction: ['NoMatchingError'],
  UpdateContactAttributes: ['NoMatchingError'],
  Compare: ['NoMatchingCondition'],
  CheckHoursOfOperation: ['NoMatchingError'],
  UpdateContactTargetQueue: ['NoMatchingError'],
  TransferContactToQueue: ['QueueAtCapacity', 'NoMatchingError'],
  DequeueContactAndTransferToQueue: ['QueueAtCapacity', 'NoMatchingError'],
  UpdateContactEventHooks: ['NoMatchingError'],
  UpdateContactTextToSpeechVoice: ['NoMatchingError'],
  UpdateContactData: ['NoMatchingError'],
  TransferToFlow: ['NoMatchingError'],
  CheckMetricData: ['NoMatchingError', 'NoMatchingCondition'],
  GetMetricData: ['NoMatchingError'],
  UpdateContactCallbackNumber: ['InvalidCallbackNumber', 'CallbackNumberNotDialable'],
  CreateCallbackContact: ['NoMatchingError'],
  MessageParticipantIteratively: ['NoMatchingError'],
};
const TERMINAL = new Set(['DisconnectParticipant', 'EndFlowExecution']);
const ENGINE_TYPES = new Set<string>(ENGINE_BLOCK_TYPES);
const DEPLOY_ONLY_TYPES = new Set<string>(DEPLOY_ONLY_BLOCK_TYPES);

/** The actions of a flow that only Amazon Connect runs, as `identifier (Type)`: deployable, not playable here. */
export function deployOnlyBlocks(flow: Flow): string[] {
  return (flow.Actions ?? [])
    .filter((a) => DEPLOY_ONLY_TYPES.has(a.Type))
    .map((a) => `${a.Identifier} (${a.Type})`);
}

/** Every way out of an action. */
function targets(action: Action): string[] {
  const t = action.Transitions ?? {};
  return [
    ...(t.NextAction ? [t.NextAction] : []),
    ...(t.Errors ?? []).map((e) => e.NextAction),
    ...(t.Conditions ?? []).map((c) => c.NextAction),
  ];
}

/**
 * The paths of a task flow that end the task before it is in a queue and before two different queues refused
 * it. Follows every path from the start, keeping the queue targeted (the last UpdateContactTargetQueue), the
 * queues that refused the task, and whether a transfer succeeded.
 */
function tasksEndedWithoutQueue(flow: Flow, byId: ReadonlyMap<string, Action>): string[] {
  const problems = new Set<string>();
  const seen = new Set<string>();
  type State = { id: string; target: string; refused: readonly string[]; queued: boolean };
  const pending: State[] = [{ id: flow.StartAction, target: '', refused: [], queued: false }];
  while (pending.length) {
    const state = pending.pop()!;
    const key = `${state.id}|${state.target}|${state.refused.join(',')}|${state.queued}`;
    const action = byId.get(state.id);
    if (seen.has(key) || !action) continue;
    seen.add(key);
    if (TERMINAL.has(action.Type)) {
      if (!state.queued && state.refused.length < 2)
        problems.add(
          `action "${action.Identifier}" (${action.Type}): a path ends the task before it is in a queue ` +
            '(only after its own queue and the general one refused it may a task end)',
        );
      continue;
    }
    const setsQueue = action.Type === 'UpdateContactTargetQueue';
    const target = setsQueue ? String(action.Parameters.QueueId ?? '') : state.target;
    const refusing = setsQueue ? target : state.target;
    const refused = (queue: string) =>
      state.refused.includes(queue) ? state.refused : [...state.refused, queue].slice(-2);
    const t = action.Transitions;
    if (t.NextAction)
      pending.push({
        id: t.NextAction,
        target,
        refused: state.refused,
        queued: state.queued || action.Type === 'TransferContactToQueue',
      });
    for (const e of t.Errors ?? [])
      pending.push({
        id: e.NextAction,
        target: state.target,
        refused: setsQueue || action.Type === 'TransferContactToQueue' ? refused(refusing) : state.refused,
        queued: state.queued,
      });
    for (const c of t.Conditions ?? [])
      pending.push({ id: c.NextAction, target, refused: state.refused, queued: state.queued });
  }
  return [...problems];
}

/**
 * Attributes an action would keep with the contact's record for 24 months (where nothing can be erased) that
 * are not known to hold nothing personal: a name not in KEPT_ATTRIBUTES, or a value taken from a function
 * result not in KEPT_RESULTS (a literal, written by the deployment, and another attribute are fine).
 */
function personalAttributes(action: Action): string[] {
  const problems: string[] = [];
  const attributes = (action.Parameters.Attributes ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(attributes)) {
    if (!isKeptAttribute(name))
      problems.push(`sets contact attribute "${name}", which is not listed as holding nothing personal`);
    for (const [, result] of String(value).matchAll(/\$\.External\.([A-Za-z0-9_]+)/g))
      if (!isKeptResult(result!))
        problems.push(
          `sets "${name}" from the function result "${result}", which is not listed as holding nothing personal`,
        );
  }
  return problems;
}

/**
 * Checks a flow against the flow language's rules and ours. Returns every problem found (empty when the flow
 * is sound); `assertValidFlow` throws them together.
 */
export function validateFlow(flow: Flow, context: FlowContext = {}): string[] {
  const problems: string[] = [];
  const actions = flow.Actions ?? [];
  if (flow.Version !== FLOW_VERSION)
    problems.push(`Version must be "${FLOW_VERSION}", not "${flow.Version}"`);
  if (actions.length > MAX_ACTIONS)
    problems.push(`${actions.length} actions; at most ${MAX_ACTIONS} are allowed`);
  const content = context.content ?? JSON.stringify(flow);
  if (content.length > MAX_CONTENT_CHARS)
    problems.push(`content is ${content.length} characters; at most ${MAX_CONTENT_CHARS}`);

  const byId = new Map<string, Action>();
  for (const action of actions) {
    const id = action.Identifier;
    if (typeof id !== 'string' || id.length === 0 || id.length > 50)
      problems.push(`identifier "${id}" must be 1 to 50 characters`);
    else if (ILLEGAL_ID.test(id))
      problems.push(`identifier "${id}" contains a character the flow language forbids`);
    else if (RESERVED.has(id)) problems.push(`identifier "${id}" is a reserved word`);
    if (byId.has(id)) problems.push(`identifier "${id}" is used by more than one action`);
    byId.set(id, action);
  }
  if (!byId.has(flow.StartAction)) problems.push(`StartAction "${flow.StartAction}" is not an action`);

  const contactFlow = (context.flowType ?? 'CONTACT_FLOW') === 'CONTACT_FLOW';
  const callerSafety = contactFlow && !context.task;
  const isDisconnect = (id: string) => byId.get(id)?.Type === 'DisconnectParticipant';
  for (const action of actions) {
    const where = `action "${action.Identifier}" (${action.Type})`;
    if (!ENGINE_TYPES.has(action.Type) && !DEPLOY_ONLY_TYPES.has(action.Type))
      problems.push(`${where}: unknown block type`);
    else if (context.runsLocally && DEPLOY_ONLY_TYPES.has(action.Type))
      problems.push(`${where}: only Amazon Connect runs this block; the local flow engine cannot play it`);
    for (const target of targets(action))
      if (!byId.has(target)) problems.push(`${where}: transition to "${target}", which is not an action`);
    if (TERMINAL.has(action.Type)) {
      if (targets(action).length > 0) problems.push(`${where}: a terminal block must have empty Transitions`);
      continue;
    }
    if (targets(action).length === 0) problems.push(`${where}: has no way out`);
    if (contactFlow) {
      const errors = new Set((action.Transitions.Errors ?? []).map((e) => e.ErrorType));
      // Store customer input takes Success on silence (stored value "Timeout") and has no conditions.
      const storesInput = action.Type === 'GetParticipantInput' && action.Parameters.StoreInput === 'True';
      for (const required of storesInput ? ['NoMatchingError'] : (REQUIRED_ERRORS[action.Type] ?? []))
        if (!errors.has(required)) problems.push(`${where}: no ${required} branch`);
    }
    if (callerSafety) {
      // A caller is never dropped: only a goodbye message, or a transfer that succeeded, may end the contact.
      for (const e of action.Transitions.Errors ?? [])
        if (isDisconnect(e.NextAction) && action.Type !== 'MessageParticipant')
          problems.push(
            `${where}: its ${e.ErrorType} branch disconnects the caller without a goodbye or a queue`,
          );
      for (const c of action.Transitions.Conditions ?? [])
        if (isDisconnect(c.NextAction))
          problems.push(
            `${where}: its condition "${c.Condition.Operands.join(',')}" disconnects the caller without a goodbye`,
          );
      const next = action.Transitions.NextAction;
      if (
        next &&
        isDisconnect(next) &&
        action.Type !== 'MessageParticipant' &&
        action.Type !== 'TransferContactToQueue'
      )
        problems.push(`${where}: goes on to a disconnect without a goodbye`);
    }
    if (action.Type === 'UpdateContactAttributes')
      problems.push(...personalAttributes(action).map((p) => `${where}: ${p}`));
    if (action.Type === 'InvokeLambdaFunction') {
      const arn = String(action.Parameters.LambdaFunctionARN ?? '');
      const limit = Number(action.Parameters.InvocationTimeLimitSeconds);
      if (!Number.isInteger(limit) || limit < 1 || limit > 8)
        problems.push(`${where}: InvocationTimeLimitSeconds must be 1 to 8`);
      if (arn.startsWith('$.')) {
        if (context.associatedFunctions)
          problems.push(`${where}: the function ARN is dynamic, so its association cannot be checked`);
      } else if (context.associatedFunctions && !context.associatedFunctions.has(arn))
        problems.push(`${where}: invokes a function that is not associated with the instance`);
      if (context.permittedFunctions && !context.permittedFunctions.has(arn))
        problems.push(`${where}: invokes a function that connect.amazonaws.com may not invoke`);
    }
    if (action.Type === 'GetParticipantInput' && action.Parameters.StoreInput !== 'True') {
      const offered = context.menuKeys?.[action.Identifier];
      const keys = new Set((action.Transitions.Conditions ?? []).flatMap((c) => c.Condition.Operands));
      for (const key of offered ?? [])
        if (!keys.has(key)) problems.push(`${where}: key "${key}" is offered but has no condition`);
      for (const key of keys)
        if (!/^[0-9*#]$/.test(key)) problems.push(`${where}: condition on "${key}", which is not one key`);
    }
  }

  if (context.task) problems.push(...tasksEndedWithoutQueue(flow, byId));

  // Everything must be reachable from the start.
  const seen = new Set<string>();
  const queue = byId.has(flow.StartAction) ? [flow.StartAction] : [];
  while (queue.length) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const t of targets(byId.get(id)!)) if (byId.has(t)) queue.push(t);
  }
  for (const id of byId.keys())
    if (!seen.has(id)) problems.push(`action "${id}" is unreachable from the start`);
  return problems;
}

export function assertValidFlow(name: string, flow: Flow, context: FlowContext = {}): void {
  const problems = validateFlow(flow, context);
  if (problems.length) throw new FlowValidationError(name, problems);
}
