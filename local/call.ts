/**
 * `npm run call`: be a caller. Runs one contact through the generated flows and prints the conversation, how
 * it ended and the ticket. With `npm start` running, the contact is placed on its local telephone network: a
 * contact the flows leave in a queue rings on the agent panel of whoever is signed in and Available, and the
 * conversation goes on with them (lines typed are messages on SMS, WhatsApp and chat; Ctrl-C hangs up).
 * Without it (or with --standalone), a back end of its own runs the flows and the contact ends in the queue.
 *
 *   npm run call -- --from +50760001234 --channel voice --keys 1,1,3
 *   npm run call -- --from +50760001234 --channel sms --say "paz y salvo"
 *   npm run call -- --from +50760001234 --channel whatsapp --say agente --interactive
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../shared/config/load';
import { localFlowEngine } from './contact-center';
import { runContact, type Caller } from './flow-engine';
import { startLocalBackEnd } from './back-end';
import { seedDemo } from './seed-demo';
import { readRunningBackEnd, type RunningBackEnd } from './running';
import { serverEvents } from './sse-client';
import { PHONE_CHANNELS, type PhoneChannel, type PhoneEvent } from './phone';

function parseArgs(argv: readonly string[]) {
  const out = {
    from: '+50760001234',
    channel: 'voice' as PhoneChannel,
    keys: [] as string[],
    says: [] as string[],
    interactive: false,
    config: 'config/city-hall',
    standalone: false,
    port: undefined as number | undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--from') out.from = value();
    else if (flag === '--channel') out.channel = value().toLowerCase() as PhoneChannel;
    else if (flag === '--keys') out.keys.push(...value().split(','));
    else if (flag === '--say') out.says.push(value());
    else if (flag === '--interactive') out.interactive = true;
    else if (flag === '--config') out.config = value();
    else if (flag === '--standalone') out.standalone = true;
    else if (flag === '--port') {
      const raw = value();
      out.port = Number(raw);
      if (!Number.isInteger(out.port) || out.port <= 0)
        throw new Error(`--port must be a port number, not "${raw}"`);
    } else
      throw new Error(
        `unknown option ${flag} (known: --from, --channel voice|status-line|sms|whatsapp|chat, --keys, --say, --interactive, --config, --port, --standalone)`,
      );
  }
  if (!(out.channel in PHONE_CHANNELS))
    throw new Error(`--channel must be voice, status-line, sms, whatsapp or chat`);
  return out;
}

type Args = ReturnType<typeof parseArgs>;

/**
 * The contact on the running back end's telephone network: its events printed as they come, the flow's
 * questions answered from the lists (then, interactively, from the keyboard; otherwise with silence), and,
 * once a person has it, each line typed sent as a message. Ends when the contact ends; Ctrl-C hangs up.
 */
async function callRunning(running: RunningBackEnd, args: Args) {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${running.url}/local/phone/contacts${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as { contactId?: string; message?: string };
    if (!res.ok) throw new Error(answer.message ?? `the local telephone network answered ${res.status}`);
    return answer;
  };
  const { contactId } = await post('', {
    channel: args.channel,
    from: args.from,
    keys: args.keys,
    says: args.says,
  });
  const rl = args.interactive ? createInterface({ input: process.stdin, terminal: false }) : undefined;
  const controller = new AbortController();
  let withPerson = false;
  let asking = false;
  let end = 'ended';
  const hangUp = () => void post(`/${contactId}/hang-up`, {}).catch(() => undefined);
  process.once('SIGINT', hangUp);
  rl?.on('line', (line) => {
    if (withPerson || asking) {
      asking = false;
      void post(`/${contactId}/input`, { text: line }).catch((error: Error) =>
        process.stderr.write(`${error.message}\n`),
      );
    }
  });
  rl?.on('close', () => {
    if (withPerson) hangUp();
  });
  try {
    for await (const { data } of serverEvents(`${running.url}/local/phone/contacts/${contactId}/events`, {
      signal: controller.signal,
    })) {
      const event = data as PhoneEvent;
      switch (event.type) {
        case 'line':
          if (!args.interactive || !event.text.startsWith('> ')) process.stdout.write(`${event.text}\n`);
          break;
        case 'ask':
          if (rl) {
            asking = true;
            process.stdout.write(event.kind === 'keys' ? 'keys> ' : 'you> ');
          } else await post(`/${contactId}/input`, { text: '' }); // no keyboard: silence
          break;
        case 'queued':
          process.stdout.write(`(waiting for a person in ${event.queue}; Ctrl-C hangs up)\n`);
          break;
        case 'connected':
          withPerson = true;
          end = `talked with ${event.agent}`;
          process.stdout.write(
            `(${event.agent} has the contact${args.channel === 'voice' ? '' : ': type a line to write'})\n`,
          );
          break;
        case 'message':
          process.stdout.write(`agent: ${event.text}\n`);
          break;
        case 'ended':
          if (event.by === 'customer') end = withPerson ? `${end}; you hung up` : 'you hung up';
          if (event.by === 'agent') end = `${end}; the agent ended it`;
          controller.abort();
          break;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    process.off('SIGINT', hangUp);
    rl?.close();
  }
  process.stdout.write(`\noutcome: ${end}\ncontact: ${contactId}\n`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const running = args.standalone ? undefined : readRunningBackEnd(args.port);
  if (running) {
    process.stderr.write(`Calling the local contact center at ${running.url}\n`);
    return callRunning(running, args);
  }
  const config = loadConfig(args.config);
  const backEnd = await startLocalBackEnd({ configDir: args.config, port: 0, logLevel: 'ERROR' });
  try {
    // The demo citizens, as `npm start` has them: calling from one of their numbers finds them.
    await seedDemo(backEnd.doc, backEnd.names, backEnd.config);
    const engine = localFlowEngine(config, backEnd.handlers);
    const channel: { channel: 'VOICE' | 'CHAT'; subtype?: string; flow: string } =
      PHONE_CHANNELS[args.channel];
    let caller: Caller = {
      channel: channel.channel,
      ...(channel.subtype ? { subtype: channel.subtype } : {}),
      phone: args.from,
      keys: args.keys,
      says: args.says,
    };
    if (args.interactive) {
      const rl = createInterface({ input: process.stdin, terminal: false });
      const lines = rl[Symbol.asyncIterator]();
      caller = {
        ...caller,
        hear: (line) => {
          if (!line.startsWith('> ')) process.stdout.write(`${line}\n`);
        },
        ask: async (_prompt, kind) => {
          process.stdout.write(kind === 'keys' ? 'keys> ' : 'you> ');
          const line = await lines.next();
          const answer = line.done ? '' : String(line.value).trim();
          if (!process.stdin.isTTY) process.stdout.write(`${answer}\n`);
          // An empty line (or the end of input) is silence, as a caller who says nothing.
          return answer === '' ? undefined : answer;
        },
      };
      try {
        const outcome = await runContact(engine, channel.flow, caller, randomUUID());
        report(outcome);
      } finally {
        rl.close();
      }
      return;
    }
    const outcome = await runContact(engine, channel.flow, caller, randomUUID());
    process.stdout.write(`${outcome.transcript.join('\n')}\n`);
    report(outcome);
  } finally {
    await backEnd.stop();
  }
}

function report(outcome: Awaited<ReturnType<typeof runContact>>) {
  process.stdout.write(
    `\noutcome: ${outcome.end.kind === 'queued' ? `waiting for a person in ${outcome.end.queue}` : 'ended'}` +
      `${outcome.attributes.ticket ? `\nticket:  ${outcome.attributes.ticket}` : ''}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
