import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../shared/config/load';
import {
  customerQueueFlow,
  followUpTaskFlow,
  inboundTextFlow,
  inboundVoiceFlow,
  menuTree,
  statusLineFlow,
  type FlowTargets,
} from '../../infra/flows/contact-flows';
import type { Action, Flow } from '../../infra/flows/flow-language';
import { botDefinition, matchIntent } from '../../infra/flows/lex-bot';
import {
  assertValidFlow,
  deployOnlyBlocks,
  FlowValidationError,
  validateFlow,
} from '../../infra/flows/validator';

const { deployment, catalogue } = loadConfig('config/city-hall');
const targets: FlowTargets = {
  functions: {
    lookup: 'arn:fn:lookup',
    createCase: 'arn:fn:case',
    status: 'arn:fn:status',
    message: 'arn:fn:message',
    consent: 'arn:fn:consent',
  },
  queues: Object.fromEntries(deployment.departments.map((d) => [d.id, `arn:queue:${d.id}`])),
  generalDepartment: 'general-information',
  customerQueueFlow: 'arn:flow:queue',
  statusLineFlow: 'arn:flow:status',
  lexAliases: { es: 'arn:lex:alias', en: 'arn:lex:alias' },
};
const functions = new Set(Object.values(targets.functions));
const context = { associatedFunctions: functions, permittedFunctions: functions, runsLocally: true };
const fixture = (name: string): Flow =>
  JSON.parse(readFileSync(join('test/fixtures/flows', `${name}.json`), 'utf8'));
const byId = (flow: Flow) => new Map(flow.Actions.map((a) => [a.Identifier, a]));

describe('flow validator on published flow exports', () => {
  it('accepts the customer-queue and agent-whisper exports as those flow types', () => {
    expect(validateFlow(fixture('customer-queue-cdk-constructs'), { flowType: 'CUSTOMER_QUEUE' })).toEqual(
      [],
    );
    expect(validateFlow(fixture('agent-whisper-cdk-constructs'), { flowType: 'AGENT_WHISPER' })).toEqual([]);
  });

  it('rejects the inbound export that drops the caller when the transfer fails, saying where', () => {
    const problems = validateFlow(fixture('inbound-cdk-constructs'));
    expect(problems).toContain(
      'action "2eb34b80-00f6-480d-a39a-0c27cac864b2" (TransferContactToQueue): its QueueAtCapacity branch disconnects the caller without a goodbye or a queue',
    );
    expect(problems).toContain(
      'action "2eb34b80-00f6-480d-a39a-0c27cac864b2" (TransferContactToQueue): its NoMatchingError branch disconnects the caller without a goodbye or a queue',
    );
  });

  it('rejects the example whose function error hangs up, and whose function ARN cannot be checked', () => {
    const problems = validateFlow(fixture('main-aws-cdk-examples'), { associatedFunctions: functions });
    expect(problems).toContain(
      'action "049fca85-b0bd-49d6-8517-2943c248cdc3" (InvokeLambdaFunction): its NoMatchingError branch disconnects the caller without a goodbye or a queue',
    );
    expect(problems).toContain(
      'action "049fca85-b0bd-49d6-8517-2943c248cdc3" (InvokeLambdaFunction): the function ARN is dynamic, so its association cannot be checked',
    );
  });

  it('names an unknown block type in every mode, and a Connect-only block where the flow must run locally', () => {
    const flow = fixture('inbound-cdk-constructs');
    const odd = {
      ...flow,
      Actions: [...flow.Actions, { ...flow.Actions[0]!, Identifier: 'odd', Type: 'ShowView' }],
    };
    for (const context of [{}, { flowType: 'CUSTOMER_QUEUE' }, { runsLocally: true }])
      expect(validateFlow(odd, context)).toContain('action "odd" (ShowView): unknown block type');
    const wisdom = flow.Actions.find((a) => a.Type === 'CreateWisdomSession')!;
    const connectOnly = `action "${wisdom.Identifier}" (CreateWisdomSession): only Amazon Connect runs this block; the local flow engine cannot play it`;
    expect(validateFlow(flow)).not.toContain(connectOnly);
    expect(validateFlow(flow, { runsLocally: true })).toContain(connectOnly);
    expect(deployOnlyBlocks(flow)).toEqual(
      expect.arrayContaining([`${wisdom.Identifier} (CreateWisdomSession)`]),
    );
    expect(deployOnlyBlocks(fixture('main-aws-cdk-examples'))).toEqual(
      fixture('main-aws-cdk-examples')
        .Actions.filter((a) => a.Type === 'UpdateFlowAttributes')
        .map((a) => `${a.Identifier} (UpdateFlowAttributes)`),
    );
  });

  it('does not demand branches Connect never takes from Store customer input, and still does from a menu', () => {
    const input = (store: 'True' | 'False') => ({
      Version: '2019-10-30',
      StartAction: 'ask',
      Actions: [
        {
          Identifier: 'ask',
          Type: 'GetParticipantInput',
          Parameters: { Text: 'Key it', StoreInput: store, InputTimeLimitSeconds: '5' },
          Transitions: { NextAction: 'bye', Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'bye' }] },
        },
        {
          Identifier: 'bye',
          Type: 'MessageParticipant',
          Parameters: { Text: 'Bye' },
          Transitions: { NextAction: 'end', Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'end' }] },
        },
        { Identifier: 'end', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
      ],
    });
    expect(validateFlow(input('True'))).toEqual([]);
    expect(validateFlow(input('False'))).toEqual(
      expect.arrayContaining(['action "ask" (GetParticipantInput): no InputTimeLimitExceeded branch']),
    );
  });

  it('names broken structure precisely', () => {
    const flow = fixture('customer-queue-cdk-constructs');
    const broken: Flow = {
      ...flow,
      Version: '2020-01-01',
      StartAction: 'nowhere',
      Actions: [
        ...flow.Actions,
        {
          Identifier: 'a:b',
          Type: 'MessageParticipant',
          Parameters: { Text: 'x' },
          Transitions: { NextAction: 'ghost' },
        },
        { Identifier: 'dup', Type: 'EndFlowExecution', Parameters: {}, Transitions: {} },
        { Identifier: 'dup', Type: 'EndFlowExecution', Parameters: {}, Transitions: {} },
        {
          Identifier: 'bye',
          Type: 'DisconnectParticipant',
          Parameters: {},
          Transitions: { NextAction: 'dup' },
        },
      ],
    };
    const problems = validateFlow(broken, { flowType: 'CUSTOMER_QUEUE' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'Version must be "2019-10-30", not "2020-01-01"',
        'StartAction "nowhere" is not an action',
        'identifier "a:b" contains a character the flow language forbids',
        'identifier "dup" is used by more than one action',
        'action "a:b" (MessageParticipant): transition to "ghost", which is not an action',
        'action "bye" (DisconnectParticipant): a terminal block must have empty Transitions',
      ]),
    );
  });
});

describe('generated flows', () => {
  const voice = inboundVoiceFlow(deployment, catalogue.onLines, targets);
  const status = statusLineFlow(deployment, targets);
  const queue = customerQueueFlow(deployment);

  it('pass the validator with every rule on', () => {
    expect(() =>
      assertValidFlow('inbound-voice', voice.flow, { ...context, menuKeys: voice.menuKeys }),
    ).not.toThrow();
    expect(() =>
      assertValidFlow('status-line', status.flow, { ...context, menuKeys: status.menuKeys }),
    ).not.toThrow();
    expect(validateFlow(queue.flow, { flowType: 'CUSTOMER_QUEUE' })).toEqual([]);
  });

  it('keep no personal data as contact attributes (Connect keeps them 24 months): every flow, and a rule that says so', () => {
    const text = inboundTextFlow(deployment, catalogue.onLines, targets);
    const setters = [voice, status, text].flatMap((g) =>
      g.flow.Actions.filter((a) => a.Type === 'UpdateContactAttributes'),
    );
    expect(setters.length).toBeGreaterThan(10);
    for (const g of [voice, status, text])
      expect(validateFlow(g.flow, context).join('\n')).not.toMatch(/personal/);
    // The same flow, had it kept the caller's name, or a ticket taken from the answer's text.
    const keep = (attributes: Record<string, string>): Flow => ({
      ...voice.flow,
      Actions: voice.flow.Actions.map((a) =>
        a.Identifier === 'keep-caller'
          ? { ...a, Parameters: { ...a.Parameters, Attributes: attributes } }
          : a,
      ),
    });
    expect(validateFlow(keep({ givenNames: '$.External.givenNames' }), context)).toEqual(
      expect.arrayContaining([
        'action "keep-caller" (UpdateContactAttributes): sets contact attribute "givenNames", which is not listed as holding nothing personal',
        'action "keep-caller" (UpdateContactAttributes): sets "givenNames" from the function result "givenNames", which is not listed as holding nothing personal',
      ]),
    );
    expect(validateFlow(keep({ ticket: 'Respuesta: $.External.answer' }), context)).toContain(
      'action "keep-caller" (UpdateContactAttributes): sets "ticket" from the function result "answer", which is not listed as holding nothing personal',
    );
  });

  it('tell a queued caller how many wait before the hold message, in their language', () => {
    const actions = byId(queue.flow);
    expect(actions.get('metrics-es')).toMatchObject({
      Type: 'GetMetricData',
      Transitions: { NextAction: 'waiting-es' },
    });
    expect(actions.get('waiting-es')!.Parameters.Text).toContain('$.Metrics.Queue.Size');
    expect(actions.get('waiting-es')!.Transitions.NextAction).toBe('hold-es');
  });

  it('stay within the flow language limits', () => {
    expect(voice.flow.Actions.length).toBeLessThanOrEqual(250);
    expect(JSON.stringify(voice.flow).length).toBeLessThan(256_000);
  });

  it('offer every catalogue entry on the keys its menu key names, in both languages', () => {
    const actions = byId(voice.flow);
    for (const l of ['es', 'en'])
      for (const entry of catalogue.onLines) {
        const keys = entry.menuKey.split('-');
        let menu = `menu-${l}`;
        keys.forEach((key, i) => {
          const target = actions
            .get(menu)!
            .Transitions.Conditions!.find((c) => c.Condition.Operands[0] === key)!.NextAction;
          menu = i === keys.length - 1 ? target : `menu${keys.slice(0, i + 1).join('')}-${l}`;
          if (i < keys.length - 1) expect(target).toBe(menu);
        });
        expect(menu).toBe(`topic-${entry.id}-${l}`);
        expect((actions.get(menu)!.Parameters.Attributes as Record<string, string>).selfService).toBe(
          entry.selfService[l as 'es'],
        );
      }
  });

  it('takes a caller who keys wrong three times to a person', () => {
    const actions = byId(voice.flow);
    const menu = actions.get('menu-es')!;
    const wrong = menu.Transitions.Errors!.find((e) => e.ErrorType === 'NoMatchingCondition')!.NextAction;
    const retry = actions.get(wrong)!;
    expect(retry).toMatchObject({ Type: 'Loop', Parameters: { LoopCount: '2' } });
    const done = retry.Transitions.Conditions!.find(
      (c) => c.Condition.Operands[0] === 'DoneLooping',
    )!.NextAction;
    expect(reachesQueue(actions, done)).toBe(true);
  });

  it('makes every error branch reach a queue or a goodbye', () => {
    for (const { flow } of [voice, status]) {
      const actions = byId(flow);
      for (const action of flow.Actions)
        for (const e of action.Transitions.Errors ?? []) {
          // A goodbye that fails to play can only end the call.
          const goodbyeFailed =
            action.Type === 'MessageParticipant' &&
            actions.get(e.NextAction)?.Type === 'DisconnectParticipant';
          expect([
            action.Identifier,
            e.ErrorType,
            goodbyeFailed || reachesQueue(actions, e.NextAction) || saysGoodbye(actions, e.NextAction),
          ]).toEqual([action.Identifier, e.ErrorType, true]);
        }
    }
  });

  it('catches a menu that offers a key it does not handle', () => {
    const flow: Flow = {
      ...voice.flow,
      Actions: voice.flow.Actions.map((a) =>
        a.Identifier === 'menu-es'
          ? {
              ...a,
              Transitions: {
                ...a.Transitions,
                Conditions: a.Transitions.Conditions!.filter((c) => c.Condition.Operands[0] !== '2'),
              },
            }
          : a,
      ),
    };
    expect(() => assertValidFlow('inbound-voice', flow, { ...context, menuKeys: voice.menuKeys })).toThrow(
      FlowValidationError,
    );
    expect(validateFlow(flow, { ...context, menuKeys: voice.menuKeys })).toContain(
      'action "menu-es" (GetParticipantInput): key "2" is offered but has no condition',
    );
  });

  it('catches a function that is not associated with the instance', () => {
    expect(
      validateFlow(voice.flow, { ...context, associatedFunctions: new Set(['arn:fn:lookup']) }),
    ).toContain(
      'action "create-case-es" (InvokeLambdaFunction): invokes a function that is not associated with the instance',
    );
  });

  it('builds sub-menus from the menu keys', () => {
    expect(menuTree(catalogue.onLines).map((n) => [n.key, n.children.length])).toEqual([
      ['1', 3],
      ['2', 3],
      ['3', 3],
      ['4', 2],
    ]);
  });
});

/** Follows the default and condition paths (not errors) to a transfer to a queue. */
function reachesQueue(actions: Map<string, Action>, from: string, seen = new Set<string>()): boolean {
  if (seen.has(from)) return false;
  seen.add(from);
  const a = actions.get(from);
  if (!a) return false;
  if (a.Type === 'TransferContactToQueue') return true;
  const next = [
    a.Transitions.NextAction,
    ...(a.Transitions.Conditions ?? []).map((c) => c.NextAction),
  ].filter(Boolean) as string[];
  return next.some((n) => reachesQueue(actions, n, seen));
}
function saysGoodbye(actions: Map<string, Action>, from: string): boolean {
  const a = actions.get(from);
  return (
    a?.Type === 'MessageParticipant' ||
    (a?.Type === 'TransferToFlow' && reachesQueue(actions, a.Transitions.NextAction!))
  );
}

describe('text channels', () => {
  const text = inboundTextFlow(deployment, catalogue.onLines, targets);
  const [es, en] = botDefinition(deployment.languages, catalogue.onLines);

  it('generate a flow that passes the validator', () => {
    expect(validateFlow(text.flow, context)).toEqual([]);
  });

  it('route every intent of the bot to its topic, to a person, or to stopping or starting messages', () => {
    const ask = byId(text.flow).get('ask-es')!;
    const intents = ask.Transitions.Conditions!.map((c) => [c.Condition.Operands[0], c.NextAction]);
    expect(intents).toContainEqual(['Topic_tax_clearance', 'topic-tax-clearance-es']);
    expect(intents).toContainEqual(['TalkToAgent', 'agent-es']);
    expect(intents).toContainEqual(['StopMessages', 'consent-stop-es']);
    expect(intents).toContainEqual(['StartMessages', 'consent-start-es']);
    expect(intents).toHaveLength(catalogue.onLines.length + 3);
    // Every intent of the bot has its branch, and every branch its intent.
    expect(intents.map(([intent]) => intent).sort()).toEqual(es!.intents.map((i) => i.name).sort());
  });

  it.each([
    ['1-2', 'tax-clearance'],
    ['1.2', 'tax-clearance'],
    ['12', 'tax-clearance'],
    ['Paz y salvo municipal', 'tax-clearance'],
    ['necesito mi PLACA', 'plate-renewal'],
    ['corrección', 'record-correction'],
  ])('match "%s" in Spanish to %s, as the bot would', (said, topicId) => {
    expect(matchIntent(es!, said)?.topicId).toBe(topicId);
  });

  it('match a request for a person, and nothing for gibberish', () => {
    expect(matchIntent(es!, 'Agente')?.name).toBe('TalkToAgent');
    expect(matchIntent(en!, 'talk to an agent')?.name).toBe('TalkToAgent');
    expect(matchIntent(es!, 'xyzzy')).toBeUndefined();
  });

  it.each([
    ['STOP', 'StopMessages'],
    ['Baja', 'StopMessages'],
    ['NO MÁS MENSAJES', 'StopMessages'],
    ['no more messages', 'StopMessages'],
    ['ALTA', 'StartMessages'],
    ['start', 'StartMessages'],
  ])('take "%s" alone as %s in either language', (said, intent) => {
    expect(matchIntent(es!, said)?.name).toBe(intent);
    expect(matchIntent(en!, said)?.name).toBe(intent);
  });

  it('never take STOP or BAJA from inside a longer message', () => {
    expect(matchIntent(es!, 'quiero darme de baja del padrón')?.name).not.toBe('StopMessages');
    expect(matchIntent(en!, 'please stop my plate renewal')?.name).not.toBe('StopMessages');
    expect(matchIntent(es!, 'necesito el alta de mi placa')?.name).not.toBe('StartMessages');
  });

  it('keep every utterance unique within a locale, as Lex requires', () => {
    for (const locale of [es!, en!]) {
      const all = locale.intents.flatMap((i) => i.utterances.map((u) => u.toLowerCase()));
      expect(new Set(all).size).toBe(all.length);
    }
  });
});

describe('task flows: no work item is dropped', () => {
  const task = followUpTaskFlow(targets).flow;
  const rules = { ...context, task: true, runsLocally: false };
  const rewire = (flow: Flow, id: string, change: (a: Action) => Action): Flow => ({
    ...flow,
    Actions: flow.Actions.map((a) => (a.Identifier === id ? change(a) : a)),
  });

  it('accepts the follow-up task flow: its own queue, else the general one, before it may end', () => {
    expect(validateFlow(task, rules)).toEqual([]);
  });

  it('refuses a task flow that ends a task its own queue refused without trying the general one', () => {
    const dropped = rewire(task, 'transfer', (a) => ({
      ...a,
      Transitions: {
        ...a.Transitions,
        Errors: a.Transitions.Errors!.map((e) => ({ ...e, NextAction: 'end' })),
      },
    }));
    expect(validateFlow(dropped, rules)).toEqual([
      expect.stringMatching(
        /action "end" \(DisconnectParticipant\): a path ends the task before it is in a queue/,
      ),
    ]);
    // The same flow as a contact flow with a caller is judged by the caller rules instead.
    expect(validateFlow(dropped, { ...context, runsLocally: false })).not.toEqual([]);
  });

  it('refuses a task flow that ends a task straight away, or retries the same queue and gives up', () => {
    const straight = rewire(task, 'start', (a) => ({ ...a, Transitions: { NextAction: 'end' } }));
    expect(validateFlow(straight, rules).join('\n')).toMatch(/ends the task before it is in a queue/);
    const sameQueueTwice = rewire(task, 'general-queue', (a) => ({
      ...a,
      Parameters: { QueueId: '$.Attributes.queueArn' },
    }));
    expect(validateFlow(sameQueueTwice, rules).join('\n')).toMatch(/ends the task before it is in a queue/);
  });
});
