/**
 * How a staff page signs in and calls the staff API, the same for every page: locally a session cookie from
 * the local server, in AWS Cognito's hosted sign-in (authorization code with PKCE) and the ID token.
 */
export interface AppConfig {
  readonly mode: 'local' | 'cognito';
  readonly api: string;
  readonly cognito?: { readonly domain: string; readonly clientId: string; readonly redirectUri: string };
  /** The instance's softphone (…/ccp-v2/), for the standalone agent page. */
  readonly ccpUrl?: string;
}

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** Who is signed in: their name and role (locally from the session; in AWS from the token's claims). */
export interface StaffUser {
  readonly username?: string;
  readonly name: string;
  readonly role: string;
}

function randomString(bytes = 32) {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return base64url(data);
}
const base64url = (data: Uint8Array) =>
  btoa(String.fromCharCode(...data))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function claimsOf(jwt: string | undefined): { email?: string; 'cognito:groups'?: string[] } | undefined {
  try {
    return JSON.parse(atob(jwt!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as {
      email?: string;
    };
  } catch {
    return undefined;
  }
}

const ROLES = ['admin', 'supervisor', 'agent', 'backoffice'];

export class StaffSession {
  private token: string | undefined = sessionStorage.getItem('ventanilla.token') ?? undefined;

  private constructor(readonly config: AppConfig) {}

  /** The page's config.json, served beside it. */
  static async load(): Promise<StaffSession> {
    return new StaffSession((await (await fetch('config.json')).json()) as AppConfig);
  }

  async api<T>(path: string, init: RequestInit = {}): Promise<Answer<T>> {
    const res = await fetch(`${this.config.api}${path}`, {
      ...init,
      credentials: 'same-origin',
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(init.headers ?? {}),
      },
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
  }

  /** The live events' URL (server-sent events), or undefined where there are none (AWS). */
  eventsUrl(): string | undefined {
    return this.config.mode === 'local' ? `${this.config.api}/events` : undefined;
  }

  /** Local sign-in with the deployment's users. */
  async signInLocal(username: string, password: string): Promise<'ok' | 'wrong' | 'too-many'> {
    const res = await this.api<{ code?: string }>('/session', {
      method: 'POST',
      body: JSON.stringify({ username, password }),
    });
    if (res.status === 200) return 'ok';
    return res.body.code === 'TOO_MANY_ATTEMPTS' ? 'too-many' : 'wrong';
  }

  /** To Cognito's hosted sign-in. */
  async signInCognito(): Promise<void> {
    const c = this.config.cognito!;
    const verifier = randomString();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const state = randomString(16);
    sessionStorage.setItem('ventanilla.pkce', JSON.stringify({ verifier, state }));
    const url = new URL(`${c.domain}/oauth2/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: c.clientId,
      redirect_uri: c.redirectUri,
      scope: 'openid email',
      code_challenge_method: 'S256',
      code_challenge: base64url(digest),
      state,
    }).toString();
    location.assign(url.toString());
  }

  /** Back from the hosted sign-in with a code: exchange it (PKCE) for tokens. False when there is none. */
  async cognitoCallback(): Promise<boolean> {
    const params = new URLSearchParams(location.search);
    const code = params.get('code');
    if (!code) return false;
    const saved = JSON.parse(sessionStorage.getItem('ventanilla.pkce') ?? '{}') as {
      verifier?: string;
      state?: string;
    };
    history.replaceState(null, '', location.pathname);
    if (!saved.verifier || saved.state !== params.get('state')) return false;
    const c = this.config.cognito!;
    const res = await fetch(`${c.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: c.clientId,
        code,
        redirect_uri: c.redirectUri,
        code_verifier: saved.verifier,
      }),
    });
    if (!res.ok) return false;
    this.token = ((await res.json()) as { id_token: string }).id_token;
    sessionStorage.setItem('ventanilla.token', this.token);
    sessionStorage.removeItem('ventanilla.pkce');
    return true;
  }

  get hasToken(): boolean {
    return this.token !== undefined;
  }

  /** Who is signed in, or undefined (then sign in). */
  async user(): Promise<StaffUser | undefined> {
    if (this.config.mode === 'cognito') {
      const claims = claimsOf(this.token);
      if (!claims) return undefined;
      const groups = claims['cognito:groups'] ?? [];
      return { name: claims.email ?? '', role: ROLES.find((r) => groups.includes(r)) ?? '' };
    }
    const res = await this.api<{ user?: StaffUser }>('/session');
    return res.status === 200 ? res.body.user : undefined;
  }

  /** Ends the session: locally the cookie; in AWS the token, then Cognito's sign-out page. */
  async signOut(): Promise<'signed-out' | 'redirected'> {
    if (this.config.mode === 'local') await this.api('/session', { method: 'DELETE' });
    this.token = undefined;
    sessionStorage.removeItem('ventanilla.token');
    if (this.config.mode !== 'cognito') return 'signed-out';
    const c = this.config.cognito!;
    location.assign(
      `${c.domain}/logout?client_id=${c.clientId}&logout_uri=${encodeURIComponent(c.redirectUri)}`,
    );
    return 'redirected';
  }
}

/** What a page does around sign-in. */
export interface SignInPage {
  /** Shows the sign-in form, with a message when there is one. */
  showLogin(message?: string): void;
  /** The page's work, once signed in (it asks `user()` and may show the form again). */
  start(): Promise<void>;
  /** The page's words for a refused sign-in. */
  messages(): { readonly tooMany: string; readonly badCredentials: string };
}

/**
 * Wires a page's sign-in — the form (`#login-form`, `#username`, `#password`) locally, the hosted sign-in
 * button (`#cognito-signin`) and its return in AWS — and starts the page.
 */
export async function signInAndStart(session: StaffSession, page: SignInPage): Promise<void> {
  const field = (id: string) => document.querySelector(id) as HTMLInputElement;
  (document.querySelector('#login-form') as HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    void session.signInLocal(field('#username').value.trim(), field('#password').value).then((result) => {
      if (result === 'ok') {
        field('#password').value = '';
        return page.start();
      }
      const words = page.messages();
      page.showLogin(result === 'too-many' ? words.tooMany : words.badCredentials);
    });
  });
  if (session.config.mode === 'cognito') {
    field('#login-form').hidden = true;
    const button = field('#cognito-signin');
    button.hidden = false;
    button.addEventListener('click', () => void session.signInCognito());
    await session.cognitoCallback();
    if (!session.hasToken) return page.showLogin();
  }
  await page.start();
}

/** The staff pages' language: the one last chosen on this browser, else the browser's (Spanish by default). */
export function savedLanguage(): 'es' | 'en' {
  const saved = localStorage.getItem('ventanilla.lang');
  if (saved === 'es' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'es';
}

/** Wires the page's language button: the other language, remembered for every staff page. */
export function onLanguageButton(current: () => 'es' | 'en', apply: (language: 'es' | 'en') => void): void {
  document.querySelector('#lang')!.addEventListener('click', () => {
    const next = current() === 'es' ? 'en' : 'es';
    localStorage.setItem('ventanilla.lang', next);
    apply(next);
  });
}
