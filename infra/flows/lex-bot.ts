import type { LineEntry } from '../../shared/domain/catalogue';
import type { Language } from '../../shared/domain/citizen';
import { OPT_IN_WORDS, OPT_OUT_WORDS } from '../../shared/domain/consent';
import { normalizeName } from '../../shared/domain/text';

/** Lex V2 locale per language of a deployment. */
export const LEX_LOCALES: Record<Language, string> = { es: 'es_419', en: 'en_US' };
export const AGENT_INTENT = 'TalkToAgent';

export interface BotIntent {
  readonly name: string;
  /** The catalogue entry the intent selects; absent for the agent intent. */
  readonly topicId?: string;
  readonly utterances: readonly string[];
  /** Recognised only as the whole message, never inside a longer one (STOP, BAJA). */
  readonly wholeMessage?: true;
}
export interface BotLocale {
  readonly language: Language;
  readonly localeId: string;
  readonly intents: readonly BotIntent[];
}

const AGENT_WORDS: Record<Language, readonly string[]> = {
  es: ['0', 'agente', 'hablar con un agente', 'una persona', 'asesor'],
  en: ['0', 'agent', 'talk to an agent', 'a person', 'human'],
};

/** Proactive messages stopped and started again (the words in `shared/domain/consent`), in every language. */
export const STOP_MESSAGES_INTENT = 'StopMessages';
export const START_MESSAGES_INTENT = 'StartMessages';

export const intentName = (entry: LineEntry) => `Topic_${entry.id.replace(/-/g, '_')}`;

/** The numbered replies of the text channels' choices (appointments), and the words for yes and for cancel. */
export const CHOICE_INTENTS = ['Choice_1', 'Choice_2', 'Choice_3'] as const;
export const CONFIRM_INTENT = 'Confirm';
export const CANCEL_INTENT = 'Cancel';
const CHOICE_WORDS: Record<Language, readonly (readonly string[])[]> = {
  es: [
    ['1', 'uno', 'opcion 1', 'la 1', 'la primera'],
    ['2', 'dos', 'opcion 2', 'la 2', 'la segunda'],
    ['3', 'tres', 'opcion 3', 'la 3', 'la tercera'],
  ],
  en: [
    ['1', 'one', 'option 1', 'the first'],
    ['2', 'two', 'option 2', 'the second'],
    ['3', 'three', 'option 3', 'the third'],
  ],
};
const CONFIRM_WORDS: Record<Language, readonly string[]> = {
  es: ['confirmar', 'confirmo', 'si', 'sí, confirmo'],
  en: ['confirm', 'yes', 'i confirm'],
};
const CANCEL_WORDS: Record<Language, readonly string[]> = {
  es: ['cancelar', 'cancelo', 'anular', 'cancelar mi cita'],
  en: ['cancel', 'cancel it', 'cancel my appointment'],
};

/**
 * The text-channel bot, generated from the catalogue: one intent per entry, recognised by its menu number
 * ("1-2", "1.2", "12"), its name, keywords or synonyms, plus an intent for a person. The same definition builds the
 * Lex bot in AWS and the local matcher.
 */
export function botDefinition(
  languages: readonly Language[],
  catalogue: readonly LineEntry[],
  choices = false,
): BotLocale[] {
  return languages.map((language) => {
    const taken = new Set<string>();
    const unique = (utterances: string[]) =>
      utterances.filter((u) => {
        const key = u.trim().toLowerCase();
        if (!key || taken.has(key)) return false;
        taken.add(key);
        return true;
      });
    const agent: BotIntent = { name: AGENT_INTENT, utterances: unique([...AGENT_WORDS[language]]) };
    // Before the topics: a catalogue keyword never takes STOP or BAJA from them.
    const consent: BotIntent[] = [
      { name: STOP_MESSAGES_INTENT, utterances: unique([...OPT_OUT_WORDS]), wholeMessage: true },
      { name: START_MESSAGES_INTENT, utterances: unique([...OPT_IN_WORDS]), wholeMessage: true },
    ];
    // With appointments, the numbered replies and yes/cancel: before the topics, whose menu numbers ("1-2")
    // never take a bare digit (the catalogue keeps 1 to 3 alone for them).
    const choiceIntents: BotIntent[] = choices
      ? [
          ...CHOICE_INTENTS.map((name, i) => ({ name, utterances: unique([...CHOICE_WORDS[language][i]!]) })),
          { name: CONFIRM_INTENT, utterances: unique([...CONFIRM_WORDS[language]]) },
          { name: CANCEL_INTENT, utterances: unique([...CANCEL_WORDS[language]]) },
        ]
      : [];
    const topics = catalogue.map((entry) => ({
      name: intentName(entry),
      topicId: entry.id,
      utterances: unique([
        entry.menuKey,
        entry.menuKey.replace(/-/g, '.'),
        entry.menuKey.replace(/-/g, ''),
        entry.name[language],
        ...entry.keywords[language],
        ...entry.synonyms[language],
      ]),
    }));
    return {
      language,
      localeId: LEX_LOCALES[language],
      intents: [agent, ...consent, ...choiceIntents, ...topics],
    };
  });
}

/**
 * Matches a text message locally the way the bot would: an exact utterance first (accent- and case-insensitive);
 * otherwise the intent whose utterances cover most of the message's words — so "me robaron la placa" reaches
 * the lost-plate entry (its synonym covers four words) and not plate renewal (one word, "placa"). Ties go to
 * the intent with the longest utterance found, then to the catalogue's order. One- and two-letter words alone
 * ("la", "de") never match, and neither do the whole-message intents inside a longer message ("quiero darme de
 * baja del padrón" is not a STOP).
 */
export function matchIntent(locale: BotLocale, text: string): BotIntent | undefined {
  const said = normalizeName(text);
  const exact = locale.intents.find((i) => i.utterances.some((u) => normalizeName(u) === said));
  if (exact || !said) return exact;
  const words = said.split(' ');
  let best: { intent: BotIntent; covered: number; longest: number } | undefined;
  for (const intent of locale.intents) {
    if (intent.wholeMessage) continue;
    const covered = new Set<number>();
    let longest = 0;
    for (const utterance of intent.utterances) {
      const phrase = normalizeName(utterance).split(' ');
      if (phrase.length === 1 && phrase[0]!.length <= 2) continue;
      for (let i = 0; i + phrase.length <= words.length; i++)
        if (phrase.every((w, j) => words[i + j] === w)) {
          for (let j = 0; j < phrase.length; j++) covered.add(i + j);
          longest = Math.max(longest, phrase.length);
        }
    }
    if (
      covered.size &&
      (!best || covered.size > best.covered || (covered.size === best.covered && longest > best.longest))
    )
      best = { intent, covered: covered.size, longest };
  }
  return best?.intent;
}
