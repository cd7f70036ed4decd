import type { BusinessCalendar } from '../shared/domain/calendar';
import type { Language } from '../shared/domain/citizen';
import type { QueueMap } from '../shared/domain/departments';
import { DEPLOY_ONLY_BLOCK_TYPES, type Action, type Flow } from '../infra/flows/flow-language';
import { matchIntent, type BotLocale } from '../infra/flows/lex-bot';
import { parseE164 } from '../shared/domain/e164';

/** A simulated caller: the keys they press and the messages they type, in order. */
export interface Caller {
  readonly phone?: string;
  readonly channel: 'VOICE' | 'CHAT';
  /** For CHAT: connect:SMS, connect:WhatsApp, or none for web chat. */
  readonly subtype?: string;
  readonly keys?: string[];
  readonly says?: string[];
  /** A person at the keyboard: asked for input when the lists run out (undefined = silence). */
  readonly ask?: (prompt: string, kind: 'keys' | 'text', actionId: string) => Promise<string | undefined>;
  /** Hears each line of the conversation as it happens. */
  readonly hear?: (line: string) => void;
  /** The attributes the contact starts with (set by the request that started it, e.g. an outbound chat). */
  readonly attributes?: Readonly<Record<string, string>>;
}

export type FlowFunction = (event: unknown) => Promise<unknown>;

export interface FlowEngineDeps {
  /** Flow content by ARN (the same JSON CDK deploys, with local ARNs). */
  readonly flows: Readonly<Record<string, Flow>>;
  /** Local function per ARN used in the flows. */
  readonly functions: Readonly<Record<string, FlowFunction>>;
  /** Department of each queue, for hours checks. */
  readonly queues: Pick<QueueMap, 'departmentOf'>;
  readonly calendar: BusinessCalendar;
  readonly bot: readonly BotLocale[];
  readonly now: () => Date;
  /** A queue's real-time figures for Get queue metrics (absent: an empty queue). */
  readonly queueMetrics?: (queue: string) => { readonly size: number; readonly oldestContactAge: number };
}

/** A callback contact the flow created (Create callback contact): Connect routes it as a contact of its own. */
export interface CreatedCallback {
  readonly queue: string;
  /** E.164: the Set callback number's, or the caller's. */
  readonly number: string;
  readonly initialDelaySeconds: number;
  readonly maxAttempts: number;
  readonly retryDelaySeconds: number;
}

export interface FlowOutcome {
  readonly transcript: readonly string[];
  /** Where the contact ended: in a queue (waiting for a person) or disconnected. */
  readonly end: { readonly kind: 'queued'; readonly queue: string } | { readonly kind: 'disconnected' };
  readonly attributes: Readonly<Record<string, string>>;
  readonly external: Readonly<Record<string, string>>;
  readonly callback?: CreatedCallback;
  /** Functions invoked, and those that took the error branch: past the block's time limit, or failed. */
  readonly invocations: { readonly calls: number; readonly timedOut: number; readonly failed: number };
}

export class FlowEngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowEngineError';
  }
}

const MAX_STEPS = 1000;
/** What a function invocation past its block's time limit rejects with. */
const TIME_LIMIT = new Error('time limit');

/**
 * Runs a contact through the flows Connect would run, action by action: prompts, DTMF and Lex input,
 * function invocations with Connect-shaped events and the block's time limit, attributes, comparisons, hours
 * checks against the deployment calendar, queues and transfers. A block type it does not know is an error
 * that names the block.
 */
export async function runContact(
  deps: FlowEngineDeps,
  startFlowArn: string,
  caller: Caller,
  contactId: string,
): Promise<FlowOutcome> {
  const transcript: string[] = [];
  const note = (line: string) => {
    transcript.push(line);
    caller.hear?.(line);
  };
  const attributes: Record<string, string> = { ...caller.attributes };
  let external: Record<string, string> = {};
  let stored = '';
  let queue = '';
  let metrics: { size: number; oldestContactAge: number } | undefined;
  let callbackNumber: string | undefined;
  let callback: CreatedCallback | undefined;
  const keys = [...(caller.keys ?? [])];
  const says = [...(caller.says ?? [])];
  const loops = new Map<string, number>();
  const invocations = { calls: 0, timedOut: 0, failed: 0 };
  let flow = deps.flows[startFlowArn];
  if (!flow) throw new FlowEngineError(`no flow ${startFlowArn}`);
  let actions = new Map(flow.Actions.map((a) => [a.Identifier, a]));
  let current = actions.get(flow.StartAction);

  /**
   * A value with Connect's references filled in, as Connect resolves them: an attribute or a function result
   * that was never set is empty; a reference Connect does not provide is an error naming the action and the
   * path, never a silent empty string.
   */
  const resolve = (action: Action, value: unknown): string => {
    const text = String(value ?? '');
    return text.replace(
      /\$\.([A-Za-z]+)(?:\.([A-Za-z0-9_]+))?(?:\.([A-Za-z0-9_]+))?/g,
      (path: string, root: string, a?: string, b?: string) => {
        const found = ((): string | undefined => {
          switch (root) {
            case 'External':
              return a ? (external[a] ?? '') : undefined;
            case 'Attributes':
              return a ? (attributes[a] ?? '') : undefined;
            case 'StoredCustomerInput':
              return a ? undefined : stored;
            case 'ContactId':
              return a ? undefined : contactId;
            case 'Channel':
              return a ? undefined : caller.channel;
            case 'CustomerEndpoint':
              return a === 'Address' && !b ? (caller.phone ?? '') : undefined;
            case 'Queue':
              return a === 'Name' && !b ? queue.split('/').at(-1) : undefined;
            case 'Metrics':
              if (a !== 'Queue') return undefined;
              if (b === 'Size') return String(metrics?.size ?? 0);
              if (b === 'OldestContactAge') return String(metrics?.oldestContactAge ?? 0);
              return undefined;
            default:
              return undefined;
          }
        })();
        if (found === undefined)
          throw new FlowEngineError(
            `action "${action.Identifier}" (${action.Type}) refers to ${path}, which Connect does not provide`,
          );
        return found;
      },
    );
  };
  /** What a prompt says: its text, or its SSML read as text (tags left out). */
  const promptOf = (action: Action, p: Record<string, unknown>) =>
    p.SSML !== undefined
      ? resolve(action, p.SSML)
          .replace(/<[^>]*>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
      : resolve(action, p.Text);
  const next = (action: Action, target: string | undefined) => {
    if (!target)
      throw new FlowEngineError(`action "${action.Identifier}" (${action.Type}) has nowhere to go`);
    const found = actions.get(target);
    if (!found)
      throw new FlowEngineError(
        `action "${action.Identifier}" goes to "${target}", which is not in the flow`,
      );
    return found;
  };
  const error = (action: Action, type: string) =>
    next(
      action,
      action.Transitions.Errors?.find((e) => e.ErrorType === type)?.NextAction ??
        action.Transitions.Errors?.find((e) => e.ErrorType === 'NoMatchingError')?.NextAction,
    );
  const byCondition = (action: Action, value: string) =>
    action.Transitions.Conditions?.find((c) => {
      const operand = c.Condition.Operands[0] ?? '';
      switch (c.Condition.Operator) {
        case 'Equals':
          return value === operand;
        case 'NumberGreaterThan':
          return Number(value) > Number(operand);
        case 'NumberLessThan':
          return Number(value) < Number(operand);
        case 'TextStartsWith':
          return value.startsWith(operand);
        case 'TextContains':
          return value.includes(operand);
        default:
          return false;
      }
    })?.NextAction;

  for (let step = 0; current; step++) {
    if (step > MAX_STEPS) throw new FlowEngineError('the flow did not end within 1000 steps');
    const action: Action = current;
    const p = action.Parameters as Record<string, unknown>;
    switch (action.Type) {
      case 'UpdateFlowLoggingBehavior':
      case 'UpdateContactEventHooks':
        current = next(action, action.Transitions.NextAction);
        break;
      case 'MessageParticipant':
        note(`< ${promptOf(action, p)}`);
        current = next(action, action.Transitions.NextAction);
        break;
      case 'UpdateContactAttributes':
        for (const [k, v] of Object.entries((p.Attributes ?? {}) as Record<string, string>))
          attributes[k] = resolve(action, v);
        current = next(action, action.Transitions.NextAction);
        break;
      case 'Compare': {
        const target = byCondition(action, resolve(action, p.ComparisonValue));
        current = target ? next(action, target) : error(action, 'NoMatchingCondition');
        break;
      }
      case 'Loop': {
        const count = loops.get(action.Identifier) ?? 0;
        const more = count < Number(p.LoopCount);
        loops.set(action.Identifier, more ? count + 1 : 0);
        current = next(action, byCondition(action, more ? 'ContinueLooping' : 'DoneLooping'));
        break;
      }
      case 'GetParticipantInput': {
        const prompt = promptOf(action, p);
        note(`< ${prompt}`);
        const key =
          keys.length || !caller.ask ? keys.shift() : await caller.ask(prompt, 'keys', action.Identifier);
        if (key === undefined || key === '') {
          note('> (silence)');
          // Store customer input takes Success with the value "Timeout"; a menu takes its timeout branch.
          if (p.StoreInput === 'True') {
            stored = 'Timeout';
            current = next(action, action.Transitions.NextAction);
          } else current = error(action, 'InputTimeLimitExceeded');
          break;
        }
        note(`> ${key}`);
        if (p.StoreInput === 'True') {
          stored = key.replace(/#$/, '');
          current = next(action, action.Transitions.NextAction);
        } else {
          const target = byCondition(action, key);
          current = target ? next(action, target) : error(action, 'NoMatchingCondition');
        }
        break;
      }
      case 'ConnectParticipantWithLexBot': {
        const prompt = promptOf(action, p);
        note(`< ${prompt}`);
        const said =
          says.length || !caller.ask ? says.shift() : await caller.ask(prompt, 'text', action.Identifier);
        if (said === undefined) {
          note('> (no reply)');
          current = error(action, 'InputTimeLimitExceeded');
          break;
        }
        note(`> ${said}`);
        const language = (attributes.lang as Language | undefined) ?? deps.bot[0]!.language;
        const locale = deps.bot.find((l) => l.language === language) ?? deps.bot[0]!;
        const intent = matchIntent(locale, said);
        const target = intent ? byCondition(action, intent.name) : undefined;
        current = target ? next(action, target) : error(action, 'NoMatchingCondition');
        break;
      }
      case 'InvokeLambdaFunction': {
        const fn = deps.functions[String(p.LambdaFunctionARN)];
        if (!fn)
          throw new FlowEngineError(
            `action "${action.Identifier}" invokes ${String(p.LambdaFunctionARN)}, which is not running locally`,
          );
        const parameters = Object.fromEntries(
          Object.entries((p.LambdaInvocationAttributes ?? {}) as Record<string, string>).map(([k, v]) => [
            k,
            resolve(action, v),
          ]),
        );
        const event = {
          Name: 'ContactFlowEvent',
          Details: {
            ContactData: {
              ContactId: contactId,
              InitialContactId: contactId,
              Channel: caller.channel,
              InitiationMethod: caller.channel === 'VOICE' ? 'INBOUND' : 'API',
              CustomerEndpoint: caller.phone ? { Address: caller.phone, Type: 'TELEPHONE_NUMBER' } : null,
              Attributes: { ...attributes },
              ...(caller.subtype
                ? { SegmentAttributes: { 'connect:Subtype': { ValueString: caller.subtype } } }
                : {}),
            },
            Parameters: parameters,
          },
        };
        const limit = Number(p.InvocationTimeLimitSeconds) * 1000;
        let timer: NodeJS.Timeout | undefined;
        invocations.calls++;
        try {
          const result = await Promise.race([
            fn(event),
            new Promise((_, reject) => (timer = setTimeout(() => reject(TIME_LIMIT), limit))),
          ]);
          external = Object.fromEntries(
            Object.entries((result ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
          );
          current = next(action, action.Transitions.NextAction);
        } catch (problem) {
          if (problem === TIME_LIMIT) invocations.timedOut++;
          else invocations.failed++;
          current = error(action, 'NoMatchingError');
        } finally {
          clearTimeout(timer);
        }
        break;
      }
      case 'UpdateContactTargetQueue':
        queue = resolve(action, p.QueueId);
        current = queue ? next(action, action.Transitions.NextAction) : error(action, 'NoMatchingError');
        break;
      case 'CheckHoursOfOperation': {
        const department = deps.queues.departmentOf(queue);
        if (!department) {
          current = error(action, 'NoMatchingError');
          break;
        }
        const open = deps.calendar.isOpen(department, deps.now());
        current = next(action, byCondition(action, open ? 'True' : 'False'));
        break;
      }
      case 'GetMetricData': {
        const target = p.QueueId === undefined ? queue : resolve(action, p.QueueId);
        if (!target) {
          current = error(action, 'NoMatchingError');
          break;
        }
        metrics = deps.queueMetrics?.(target) ?? { size: 0, oldestContactAge: 0 };
        current = next(action, action.Transitions.NextAction);
        break;
      }
      case 'UpdateContactCallbackNumber': {
        const number = parseE164(resolve(action, p.CallbackNumber));
        if (caller.channel !== 'VOICE' || !number) {
          current = error(action, 'InvalidCallbackNumber');
          break;
        }
        callbackNumber = number;
        current = next(action, action.Transitions.NextAction);
        break;
      }
      case 'CreateCallbackContact': {
        const target = p.QueueId === undefined ? queue : resolve(action, p.QueueId);
        const number = callbackNumber ?? (caller.phone ? parseE164(caller.phone) : undefined);
        if (!target || !number) {
          current = error(action, 'NoMatchingError');
          break;
        }
        callback = {
          queue: target,
          number,
          initialDelaySeconds: Number(p.InitialCallDelaySeconds),
          maxAttempts: Number(p.MaximumConnectionAttempts),
          retryDelaySeconds: Number(p.RetryDelaySeconds),
        };
        note(`(callback created for ${target})`);
        current = next(action, action.Transitions.NextAction);
        break;
      }
      case 'TransferContactToQueue':
        if (!queue) {
          current = error(action, 'NoMatchingError');
          break;
        }
        note(`(queued for ${queue})`);
        return {
          transcript,
          end: { kind: 'queued', queue },
          attributes,
          external,
          ...(callback ? { callback } : {}),
          invocations,
        };
      case 'TransferToFlow': {
        const target = deps.flows[String(p.ContactFlowId)];
        if (!target) {
          current = error(action, 'NoMatchingError');
          break;
        }
        flow = target;
        actions = new Map(flow.Actions.map((a) => [a.Identifier, a]));
        current = actions.get(flow.StartAction);
        break;
      }
      case 'DisconnectParticipant':
        note('(disconnected)');
        return {
          transcript,
          end: { kind: 'disconnected' },
          attributes,
          external,
          ...(callback ? { callback } : {}),
          invocations,
        };
      default:
        throw new FlowEngineError(
          `action "${action.Identifier}" has block type ${action.Type}, which the local flow engine does not run` +
            ((DEPLOY_ONLY_BLOCK_TYPES as readonly string[]).includes(action.Type)
              ? ' (only Amazon Connect runs it)'
              : ''),
        );
    }
  }
  throw new FlowEngineError('the flow ended without a disconnect or a queue');
}
