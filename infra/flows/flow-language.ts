/**
 * The Amazon Connect flow language (Version 2019-10-30), as typed objects. Flows are built from these and
 * serialised token-aware by the stack; never hand-edited JSON. See docs/connect-formats.md §2.
 */
export const FLOW_VERSION = '2019-10-30';
export const MAX_ACTIONS = 250;
export const MAX_CONTENT_CHARS = 256_000;

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
