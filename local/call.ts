/**
 * `npm run call`: be a caller. Runs one contact through the generated flows on a local back end (with the demo
 * citizens) and prints the conversation, how it ended and the ticket.
 *
 *   npm run call -- --from +50760001234 --channel voice --keys 1,1,3
 *   npm run call -- --from +50760001234 --channel sms --say "paz y salvo"
 *   npm run call -- --from +50760001234 --interactive
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../shared/config/load';
import { localFlowEngine, LOCAL } from './contact-center';
import { runContact, type Caller } from './flow-engine';
import { startLocalBackEnd } from './back-end';
import { seedDemo } from './seed-demo';

const CHANNELS: Record<string, { channel: 'VOICE' | 'CHAT'; subtype?: string; flow: string }> = {
  voice: { channel: 'VOICE', flow: LOCAL.voiceFlow },
  sms: { channel: 'CHAT', subtype: 'connect:SMS', flow: LOCAL.textFlow },
  whatsapp: { channel: 'CHAT', subtype: 'connect:WhatsApp', flow: LOCAL.textFlow },
  chat: { channel: 'CHAT', flow: LOCAL.textFlow },
};

function parseArgs(argv: readonly string[]) {
  const out = {
    from: '+50760001234',
    channel: 'voice',
    keys: [] as string[],
    says: [] as string[],
    interactive: false,
    config: 'config/city-hall',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--from') out.from = value();
    else if (flag === '--channel') out.channel = value().toLowerCase();
    else if (flag === '--keys') out.keys.push(...value().split(','));
    else if (flag === '--say') out.says.push(value());
    else if (flag === '--interactive') out.interactive = true;
    else if (flag === '--config') out.config = value();
    else
      throw new Error(
        `unknown option ${flag} (known: --from, --channel voice|sms|whatsapp|chat, --keys, --say, --interactive, --config)`,
      );
  }
  if (!CHANNELS[out.channel]) throw new Error(`--channel must be voice, sms, whatsapp or chat`);
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig(args.config);
  const backEnd = await startLocalBackEnd({ configDir: args.config, port: 0, logLevel: 'ERROR' });
  try {
    // The demo citizens, as `npm start` has them: calling from one of their numbers finds them.
    await seedDemo(backEnd.doc, backEnd.names, backEnd.config);
    const engine = localFlowEngine(config, backEnd.handlers);
    const channel = CHANNELS[args.channel]!;
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
