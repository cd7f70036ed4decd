import { onLanguageButton, savedLanguage, signInAndStart, StaffSession, type StaffUser } from './auth';
import { $ } from './dom';
import { fill } from './i18n';

/** The words every office page has, besides its own. */
export interface OfficeWords {
  readonly title: string;
  readonly language: string;
  readonly forbidden: string;
  readonly failed: string;
  readonly badCredentials: string;
  readonly tooMany: string;
}

type Language = 'es' | 'en';

/**
 * What the office pages (administration, supervision, back office) do alike: sign-in, the page shown once the
 * signed-in user may use it, the status line and the alert, the language button (every `data-text` element
 * and the page's own drawing), and an API error said in the page's words.
 */
export function officePage<T extends Readonly<Record<Language, OfficeWords>>>(options: {
  /** The page's content, shown once signed in. */
  readonly content: string;
  readonly text: T;
  /**
   * Loads what the page needs for the signed-in user: 'forbidden' when their role may not use it (the API
   * said 403), false when it could not load (back to sign-in).
   */
  readonly enter: (user: StaffUser) => Promise<true | false | 'forbidden'>;
  /** Draws everything again in the current language. */
  readonly render: () => void;
  /** Wires the page's own controls, once. */
  readonly wire: () => void;
}) {
  let language: Language = savedLanguage();
  let session: StaffSession;
  type W = T[Language];
  const words = (): W => options.text[language];

  const showLogin = (message = '') => {
    $('#login').hidden = false;
    $(options.content).hidden = true;
    $('#signout').hidden = true;
    const error = $('#login-error');
    error.textContent = message;
    error.hidden = !message;
    $<HTMLInputElement>('#username').focus();
  };
  const start = async () => {
    const user = await session.user();
    if (!user) return showLogin();
    const entered = await options.enter(user);
    if (entered === 'forbidden') return showLogin(words().forbidden);
    if (!entered) return showLogin();
    $('#login').hidden = true;
    $(options.content).hidden = false;
    $('#signout').hidden = false;
    $('#who').textContent = user.name;
  };
  const applyLanguage = () => {
    const w = words();
    document.documentElement.lang = language;
    document.title = `Ventanilla — ${w.title}`;
    document.querySelectorAll<HTMLElement>('[data-text]').forEach((el) => {
      const value = w[el.dataset.text as keyof W];
      if (typeof value === 'string') el.textContent = value;
    });
    $('#lang').textContent = w.language;
    options.render();
  };

  const page = {
    words,
    language: () => language,
    api: <T>(path: string, init?: RequestInit) => session.api<T>(path, init),
    say(message: string) {
      $('#status').textContent = message;
    },
    alertBox(message: string | undefined) {
      const box = $('#alert');
      box.textContent = message ?? '';
      box.hidden = !message;
    },
    /** An API error in the page's words: "Could not: <the API's message>". */
    failed: (answer: { body: { message?: string } }) =>
      fill(words().failed, { m: answer.body.message ?? '' }),
    /** Sets the text of every `data-<attribute>` element from a dictionary of the current language. */
    named(attribute: string, dictionary: Readonly<Record<string, string>>) {
      document.querySelectorAll<HTMLElement>(`[data-${attribute}]`).forEach((el) => {
        el.textContent = dictionary[el.dataset[attribute]!] ?? el.textContent;
      });
    },
    /** Loads the session and signs in; the page starts once the user may use it. */
    async boot() {
      session = await StaffSession.load();
      onLanguageButton(
        () => language,
        (next) => {
          language = next;
          applyLanguage();
        },
      );
      $('#signout').addEventListener('click', () => {
        void session.signOut().then((done) => done === 'signed-out' && showLogin());
      });
      options.wire();
      applyLanguage();
      await signInAndStart(session, { showLogin, start, messages: words });
    },
  };
  return page;
}
