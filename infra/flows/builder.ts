import type { Action, Condition, ErrorTransition, Flow, Operator } from './flow-language';
import { FLOW_VERSION } from './flow-language';

/** Collects actions and the keys each DTMF menu offers, so the validator can check them. */
export class FlowBuilder {
  private readonly actions: Action[] = [];
  readonly menuKeys: Record<string, string[]> = {};

  add(action: Action): string {
    this.actions.push(action);
    return action.Identifier;
  }

  build(startAction: string): Flow {
    return { Version: FLOW_VERSION, StartAction: startAction, Actions: [...this.actions] };
  }

  /** A DTMF menu: one key per option; timeouts, wrong keys and errors go where the caller is still served. */
  menu(
    id: string,
    text: string,
    options: Readonly<Record<string, string>>,
    onRetry: string,
    onError: string,
    timeoutSeconds = 8,
  ): string {
    this.menuKeys[id] = Object.keys(options);
    return this.add({
      Identifier: id,
      Type: 'GetParticipantInput',
      Parameters: { Text: text, StoreInput: 'False', InputTimeLimitSeconds: String(timeoutSeconds) },
      Transitions: {
        NextAction: onRetry,
        Conditions: Object.entries(options).map(([key, next]) => equals(next, key)),
        Errors: [
          err('InputTimeLimitExceeded', onRetry),
          err('NoMatchingCondition', onRetry),
          err('NoMatchingError', onError),
        ],
      },
    });
  }
}

export const err = (ErrorType: string, NextAction: string): ErrorTransition => ({ ErrorType, NextAction });
export const when = (NextAction: string, Operator: Operator, operand: string): Condition => ({
  NextAction,
  Condition: { Operator, Operands: [operand] },
});
export const equals = (NextAction: string, operand: string): Condition => when(NextAction, 'Equals', operand);

export const logging = (id: string, next: string): Action => ({
  Identifier: id,
  Type: 'UpdateFlowLoggingBehavior',
  Parameters: { FlowLoggingBehavior: 'Enabled' },
  Transitions: { NextAction: next },
});

export const message = (id: string, text: string, next: string, onError = next): Action => ({
  Identifier: id,
  Type: 'MessageParticipant',
  Parameters: { Text: text },
  Transitions: { NextAction: next, Errors: [err('NoMatchingError', onError)] },
});

/**
 * Keys stored as `$.StoredCustomerInput` (up to `maxLength`, ended by #). Stored input never times out into an
 * error branch: on silence Connect stores "Timeout" and goes on to `next`.
 */
export const storeKeys = (
  id: string,
  text: string,
  maxLength: number,
  next: string,
  onError: string,
): Action => ({
  Identifier: id,
  Type: 'GetParticipantInput',
  Parameters: {
    Text: text,
    StoreInput: 'True',
    InputTimeLimitSeconds: '10',
    InputValidation: { CustomValidation: { MaximumLength: String(maxLength) } },
    DTMFConfiguration: { InputTerminationSequence: '#', DisableCancelKey: 'False' },
  },
  Transitions: { NextAction: next, Errors: [err('NoMatchingError', onError)] },
});

export const setAttributes = (
  id: string,
  attributes: Record<string, string>,
  next: string,
  onError: string,
): Action => ({
  Identifier: id,
  Type: 'UpdateContactAttributes',
  Parameters: { Attributes: attributes, TargetContact: 'Current' },
  Transitions: { NextAction: next, Errors: [err('NoMatchingError', onError)] },
});

export const compare = (
  id: string,
  value: string,
  conditions: readonly Condition[],
  otherwise: string,
): Action => ({
  Identifier: id,
  Type: 'Compare',
  Parameters: { ComparisonValue: value },
  Transitions: {
    NextAction: otherwise,
    Conditions: conditions,
    Errors: [err('NoMatchingCondition', otherwise)],
  },
});

/** Connect allows up to 8 s. Our functions answer within 2 s (Lambda stops them at 3 s), so 4 s always sees their answer. */
export const INVOKE_TIME_LIMIT_SECONDS = 4;
export const invoke = (
  id: string,
  functionArn: string,
  parameters: Record<string, string>,
  next: string,
  onError: string,
): Action => ({
  Identifier: id,
  Type: 'InvokeLambdaFunction',
  Parameters: {
    LambdaFunctionARN: functionArn,
    InvocationTimeLimitSeconds: String(INVOKE_TIME_LIMIT_SECONDS),
    InvocationType: 'SYNCHRONOUS',
    LambdaInvocationAttributes: parameters,
    ResponseValidation: { ResponseType: 'STRING_MAP' },
  },
  Transitions: { NextAction: next, Errors: [err('NoMatchingError', onError)] },
});

export const loop = (id: string, count: number, again: string, done: string): Action => ({
  Identifier: id,
  Type: 'Loop',
  Parameters: { LoopCount: String(count) },
  Transitions: {
    NextAction: done,
    Conditions: [equals(again, 'ContinueLooping'), equals(done, 'DoneLooping')],
  },
});

export const setQueue = (id: string, queue: string, next: string, onError: string): Action => ({
  Identifier: id,
  Type: 'UpdateContactTargetQueue',
  Parameters: { QueueId: queue },
  Transitions: { NextAction: next, Errors: [err('NoMatchingError', onError)] },
});

/** Without an id, the hours of the contact's target queue apply. */
export const checkHours = (id: string, open: string, closed: string, onError: string): Action => ({
  Identifier: id,
  Type: 'CheckHoursOfOperation',
  Parameters: {},
  Transitions: {
    NextAction: onError,
    Conditions: [equals(open, 'True'), equals(closed, 'False')],
    Errors: [err('NoMatchingError', onError)],
  },
});

export const setCustomerQueueFlow = (id: string, flowArn: string, next: string): Action => ({
  Identifier: id,
  Type: 'UpdateContactEventHooks',
  Parameters: { EventHooks: { CustomerQueue: flowArn } },
  Transitions: { NextAction: next, Errors: [err('NoMatchingError', next)] },
});

export const transferToQueue = (id: string, afterTransfer: string, onFailure: string): Action => ({
  Identifier: id,
  Type: 'TransferContactToQueue',
  Parameters: {},
  Transitions: {
    NextAction: afterTransfer,
    Errors: [err('QueueAtCapacity', onFailure), err('NoMatchingError', onFailure)],
  },
});

export const transferToFlow = (id: string, flowArn: string, onError: string): Action => ({
  Identifier: id,
  Type: 'TransferToFlow',
  Parameters: { ContactFlowId: flowArn },
  Transitions: { NextAction: onError, Errors: [err('NoMatchingError', onError)] },
});

export const disconnect = (id: string): Action => ({
  Identifier: id,
  Type: 'DisconnectParticipant',
  Parameters: {},
  Transitions: {},
});

/**
 * Connect's near-real-time metrics of the contact's target queue on one channel, as `$.Metrics.Queue.Size`
 * (contacts in queue) and `$.Metrics.Queue.OldestContactAge` (seconds).
 */
export const queueMetrics = (id: string, next: string, onError: string): Action => ({
  Identifier: id,
  Type: 'GetMetricData',
  Parameters: { QueueChannel: 'Voice' },
  Transitions: { NextAction: next, Errors: [err('NoMatchingError', onError)] },
});

/** The number a callback calls: a JSONPath reference (Connect refuses a static one). */
export const setCallbackNumber = (id: string, numberPath: string, next: string, onError: string): Action => ({
  Identifier: id,
  Type: 'UpdateContactCallbackNumber',
  Parameters: { CallbackNumber: numberPath },
  Transitions: {
    NextAction: next,
    Errors: [err('InvalidCallbackNumber', onError), err('CallbackNumberNotDialable', onError)],
  },
});

/**
 * A callback contact in `queue` (a JSONPath reference or id): routed after `initialDelaySeconds`, tried
 * `maxAttempts` times `retryDelaySeconds` apart. The values must be static.
 */
export const createCallback = (
  id: string,
  queue: string,
  settings: { initialDelaySeconds: number; maxAttempts: number; retryDelaySeconds: number },
  next: string,
  onError: string,
): Action => ({
  Identifier: id,
  Type: 'CreateCallbackContact',
  Parameters: {
    QueueId: queue,
    InitialCallDelaySeconds: String(settings.initialDelaySeconds),
    MaximumConnectionAttempts: String(settings.maxAttempts),
    RetryDelaySeconds: String(settings.retryDelaySeconds),
  },
  Transitions: { NextAction: next, Errors: [err('NoMatchingError', onError)] },
});
