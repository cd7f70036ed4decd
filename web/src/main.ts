import uPlot from 'uplot';
import type { DashboardView } from '../../shared/domain/metrics/summary';
import type { LiveMetrics } from '../../shared/domain/metrics/read-model';
import { onLanguageButton, savedLanguage, signInAndStart, StaffSession } from './auth';
import { fill, TEXT, type Language, type Words } from './i18n';
import { clock, clockDuration, count, duration, level, LEVEL_ICON, percent, type Level } from './view';

/** What GET /metrics/summary and the live events answer: the server's own types. */
type Summary = DashboardView;
type Live = LiveMetrics;

const STALE_MS = 10_000;
const SUMMARY_MS = 5_000;
const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;
const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

let session: StaffSession;
let language: Language = savedLanguage();
let words: Words = TEXT[language];
let summary: Summary | undefined;
let live: Live | undefined;
/** GET /surge: each department's switch and the one for all. */
interface SurgeView {
  readonly department: string;
  readonly on: boolean;
  readonly since: string | null;
  readonly reason: string | null;
  readonly by: string | null;
}
let surge: { all: SurgeView; departments: SurgeView[] } | undefined;
let lastUpdate = 0;
let source: EventSource | undefined;
const timers: number[] = [];
/**
 * Which day the page shows: the day of the latest events (today, while they are live; a simulated or replayed
 * day otherwise), or today when the supervisor asked for it.
 */
let follow: 'events' | 'today' = 'events';

const api = <T>(path: string, init: RequestInit = {}) => session.api<T>(path, init);

// ---- sign-in

function showLogin(message = '') {
  $('#login').hidden = false;
  $('#dashboard').hidden = true;
  $('#signout').hidden = true;
  const error = $('#login-error');
  error.textContent = message;
  error.hidden = !message;
  ($('#username') as HTMLInputElement).focus();
}

async function signOut() {
  for (const t of timers.splice(0)) clearInterval(t);
  source?.close();
  summary = undefined;
  live = undefined;
  if ((await session.signOut()) === 'signed-out') showLogin();
}

// ---- data

async function loadSummary() {
  const day = follow === 'today' && summary ? `?date=${summary.today}` : '';
  const res = await api<Summary & { code?: string }>(`/metrics/summary${day}`);
  if (res.status === 401) return showLogin();
  if (res.status === 403) return showLogin(words.forbidden);
  if (res.status !== 200) return;
  summary = res.body;
  lastUpdate = Date.now();
  await loadSurge();
  render();
}

async function loadSurge() {
  const res = await api<NonNullable<typeof surge>>('/surge');
  if (res.status === 200) surge = res.body;
}

/** A supervisor switches surge for a department or all, with the reason; the flows hear it from the next call. */
async function switchSurge(on: boolean) {
  const department = ($('#surge-department') as HTMLSelectElement).value;
  const input = $('#surge-reason') as HTMLInputElement;
  const reason = input.value.trim();
  if (reason.length < 3) {
    surgeNote = { say: 'needsReason' };
    renderSurge();
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  const res = await api<NonNullable<typeof surge> & { message?: string }>(`/surge/${department}`, {
    method: 'POST',
    body: JSON.stringify({ on, reason }),
  });
  if (res.status !== 200) {
    surgeNote = { say: 'failed', why: res.body.message ?? String(res.status) };
    renderSurge();
    return;
  }
  surge = res.body;
  input.value = '';
  surgeNote = { say: 'switched', on, department };
  render();
}

/** What the form last said (a switch made, a reason missing, a refusal), again in the page's language. */
let surgeNote:
  | { say: 'switched'; on: boolean; department: string }
  | { say: 'needsReason' }
  | { say: 'failed'; why: string }
  | undefined;

const departmentName = (id: string) => summary?.departments.find((d) => d.id === id)?.name[language] ?? id;
const surgeOf = (id: string) =>
  surge && (surge.all.on ? surge.all : surge.departments.find((d) => d.department === id));

function renderSurge() {
  if (!summary) return;
  const select = $('#surge-department') as HTMLSelectElement;
  const chosen = select.value || 'all';
  select.innerHTML = [
    ['all', words.surgeAll] as const,
    ...summary.departments.map((d) => [d.id, d.name[language]] as const),
  ]
    .map(
      ([id, name]) =>
        `<option value="${escape(id)}"${id === chosen ? ' selected' : ''}>${escape(name)}</option>`,
    )
    .join('');
  if (surgeNote) {
    const note = surgeNote;
    const said =
      note.say === 'needsReason'
        ? words.surgeNeedsReason
        : note.say === 'failed'
          ? fill(words.surgeFailed, { m: note.why })
          : fill(note.on ? words.surgeSwitchedOn : words.surgeSwitchedOff, {
              d: note.department === 'all' ? words.surgeAll : departmentName(note.department),
            });
    // A status region is read out when it changes: written only when it says something new.
    if ($('#surge-message').textContent !== said) $('#surge-message').textContent = said;
  }
  if (!surge) return;
  const line = (id: string, name: string, s: SurgeView) =>
    `<li data-surge="${escape(id)}" class="${s.on ? 'on' : 'off'}"><strong>${escape(name)}</strong> ${escape(
      s.on
        ? fill(words.surgeIsOn, {
            t: s.since ? clock(s.since, summary?.timeZone, language) : '–',
            reason: s.reason ?? '',
            by: s.by === 'rule' ? words.surgeByRule : (s.by ?? ''),
          })
        : words.surgeIsOff,
    )}</li>`;
  $('#surge-state').innerHTML = [
    ...(surge.all.on ? [line('all', words.surgeAll, surge.all)] : []),
    ...surge.departments.map((d) => line(d.department, departmentName(d.department), d)),
  ].join('');
}

function startLive() {
  const events = session.eventsUrl();
  if (events) {
    source = new EventSource(events);
    source.addEventListener('live', (event) => {
      live = JSON.parse((event as MessageEvent<string>).data) as Live;
      lastUpdate = Date.now();
      renderLive();
      scheduleSummary();
    });
    source.addEventListener('ping', () => {
      lastUpdate = Date.now();
      renderStale();
    });
  } else
    timers.push(
      window.setInterval(async () => {
        const res = await api<Live>('/metrics/live');
        if (res.status === 200) {
          live = res.body;
          lastUpdate = Date.now();
          renderLive();
        }
      }, 2000),
    );
}

let summaryPending: number | undefined;
function scheduleSummary() {
  if (summaryPending !== undefined) return;
  summaryPending = window.setTimeout(() => {
    summaryPending = undefined;
    void loadSummary();
  }, 1000);
}

async function start() {
  const me = await session.user();
  if (!me) return showLogin();
  $('#login').hidden = true;
  $('#dashboard').hidden = false;
  $('#signout').hidden = false;
  $('#who').textContent = me.name;
  await loadSummary();
  if ($('#dashboard').hidden) return;
  startLive();
  timers.push(window.setInterval(() => void loadSummary(), SUMMARY_MS));
  timers.push(window.setInterval(renderStale, 1000));
  $('#main').focus();
}

// ---- rendering

function applyLanguage() {
  words = TEXT[language];
  document.documentElement.lang = language;
  document.title = `Ventanilla — ${words.title}`;
  for (const el of document.querySelectorAll<HTMLElement>('[data-text]'))
    el.textContent = (words as unknown as Record<string, string>)[el.dataset.text!] ?? '';
  $('#lang').textContent = words.language;
  $('#lang').setAttribute('lang', language === 'es' ? 'en' : 'es');
  render();
}

function cue(l: Level, value: string) {
  if (l === 'none' && value !== '–') return '';
  const name = l === 'none' ? words.none : words[l];
  return `<span class="cue" aria-hidden="true">${LEVEL_ICON[l]} ${escape(name)}</span>`;
}

/** A tile; `shown` is what the big figure reads when it differs from the spoken `value` (wallboard durations). */
function tile(key: string, label: string, value: string, l: Level, sub = '', shown = value) {
  const state = l === 'none' ? '' : ` — ${l === 'ok' ? words.ok : words[l]}`;
  return `<div class="tile level-${l}" tabindex="0" data-tile="${key}" aria-label="${escape(`${label}: ${value}${sub ? `, ${sub}` : ''}${state}`)}">
    <span class="label">${escape(label)}</span>
    <span class="value" data-value aria-hidden="true">${escape(shown)}</span>
    ${sub ? `<span class="sub">${escape(sub)}</span>` : ''}
    ${cue(l, value)}
  </div>`;
}

function liveOf(departmentId: string) {
  const queues = live?.queues.filter((q) => q.department === departmentId);
  if (!queues?.length) return undefined;
  return {
    waiting: queues.reduce((n, q) => n + q.waiting, 0),
    callbacks: queues.reduce((n, q) => n + (q.callbacksWaiting ?? 0), 0),
    oldest: Math.max(0, ...queues.map((q) => q.oldestWaitSeconds)),
  };
}

/** Durations on the wallboard read as a clock (6:52), so that they fit a tile at a size read across a room. */
const shownDuration = (seconds: number | null | undefined) =>
  document.body.classList.contains('wallboard') ? clockDuration(seconds) : duration(seconds);

const dayWord = () => (!summary || summary.date === summary.today ? words.today : words.ofDay);

function renderDepartments() {
  if (!summary) return;
  const t = summary.settings.thresholds;
  const target = summary.settings.serviceLevelTarget;
  $('#departments').innerHTML = summary.departments
    .map((d) => {
      const now = liveOf(d.id) ?? { waiting: d.waiting, callbacks: 0, oldest: d.oldestWaitSeconds };
      const name = d.name[language];
      const inSurge = surgeOf(d.id)?.on ?? false;
      return `<section class="department${inSurge ? ' in-surge' : ''}" aria-labelledby="h-${d.id}" data-department="${d.id}">
        <h2 id="h-${d.id}">${escape(name)}${inSurge ? ` <span class="badge" data-badge="surge">${escape(words.surgeBadge)}</span>` : ''}</h2>
        <div class="tiles">
          ${tile(`${d.id}.waiting`, words.waiting, count(now.waiting, language), level(now.waiting, t.waiting, 'higher'), now.callbacks ? `${words.callbacksWaiting}: ${count(now.callbacks, language)}` : '')}
          ${tile(`${d.id}.oldest`, words.oldest, duration(now.oldest), level(now.oldest, t.oldestWaitSeconds, 'higher'), '', shownDuration(now.oldest))}
          ${tile(
            `${d.id}.serviceLevel`,
            `${words.serviceLevel} (${dayWord()})`,
            percent(d.today.serviceLevel, language),
            level(d.today.serviceLevel, t.serviceLevel, 'lower'),
            `${words.last15}: ${percent(d.last15.serviceLevel, language)} · ${fill(words.target, { v: percent(target, language) })}`,
          )}
          ${tile(`${d.id}.abandonment`, words.abandonment, percent(d.today.abandonmentRate, language), level(d.today.abandonmentRate, t.abandonmentRate, 'higher'), `${count(d.today.abandoned, language)} / ${count(d.today.offered, language)}`)}
          ${tile(`${d.id}.asa`, words.asa, duration(d.today.averageSpeedOfAnswer), level(d.today.averageSpeedOfAnswer, t.averageSpeedOfAnswerSeconds, 'higher'), '', shownDuration(d.today.averageSpeedOfAnswer))}
          ${tile(`${d.id}.aht`, words.aht, duration(d.today.averageHandleTime), 'none', '', shownDuration(d.today.averageHandleTime))}
        </div>
        ${
          d.channels.length
            ? `<table class="channels"><caption class="visually-hidden">${escape(name)}</caption>
          <thead><tr><th scope="col"><span class="visually-hidden">${words.channel}</span></th><th scope="col">${words.offered}</th><th scope="col">${words.answered}</th><th scope="col">${words.abandoned}</th><th scope="col">${words.serviceLevel} (${dayWord()})</th><th scope="col">${words.last15}</th></tr></thead>
          <tbody>${d.channels
            .map(
              (c) =>
                `<tr data-channel="${c.channel}"><th scope="row">${escape((words.channels as Record<string, string>)[c.channel] ?? c.channel)}</th><td data-cell="offered">${count(c.today.offered, language)}</td><td data-cell="answered">${count(c.today.answered, language)}</td><td data-cell="abandoned">${count(c.today.abandoned, language)}</td><td>${percent(c.today.serviceLevel, language)}</td><td>${percent(c.last15.serviceLevel, language)}</td></tr>`,
            )
            .join('')}</tbody></table>`
            : ''
        }
      </section>`;
    })
    .join('');
}

function list(id: string, entries: [string, string, number][], attribute: string) {
  $(id).innerHTML = entries
    .map(
      ([key, label, value]) =>
        `<li data-${attribute}="${escape(key)}"><span>${escape(label)}</span> <strong data-value>${count(value, language)}</strong></li>`,
    )
    .join('');
}

function renderLive() {
  // Only what the live stream carries, without waiting for the next summary.
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.tile;
  renderDepartments();
  const agents: Readonly<Record<string, number>> = live?.agents ?? summary?.agents ?? {};
  list(
    '#agents',
    Object.entries(words.states).map(([k, label]) => [k, label, agents[k] ?? 0]),
    'state',
  );
  renderStale();
  if (focused) document.querySelector<HTMLElement>(`[data-tile="${focused}"]`)?.focus();
}

let charts: { volume?: uPlot; service?: uPlot } = {};
/** Where the charts begin on the page, for the wallboard to fit them in what is left of the screen. */
const chartsTop = () => ($('#charts') as HTMLElement).getBoundingClientRect().top + window.scrollY;
function renderCharts() {
  if (!summary) return;
  const xs = summary.trend.map((p) => Date.parse(p.start) / 1000);
  // Each chart takes its column of the page: half of it side by side, all of it when they stack.
  const wallboard = document.body.classList.contains('wallboard');
  const side = wallboard || window.innerWidth > 900;
  const width = Math.max(300, Math.floor(($('#charts') as HTMLElement).clientWidth / (side ? 2 : 1)) - 32);
  const height = wallboard ? Math.max(140, Math.min(220, window.innerHeight - chartsTop() - 90)) : 220;
  const axes = (y: Partial<uPlot.Axis> = {}): uPlot.Axis[] => [
    {
      stroke: '#dfe6ee',
      grid: { stroke: '#33404d' },
      space: 70,
      values: (_u, ticks) =>
        ticks.map((v) => clock(new Date(v * 1000).toISOString(), summary?.timeZone, language)),
    },
    { stroke: '#dfe6ee', grid: { stroke: '#33404d' }, ...y },
  ];
  const volume: uPlot.AlignedData = [
    xs,
    summary.trend.map((p) => p.offered),
    summary.trend.map((p) => p.answered),
  ];
  const service: uPlot.AlignedData = [
    xs,
    summary.trend.map((p) => (p.serviceLevel === null ? null : Math.round(p.serviceLevel * 100))),
    xs.map(() => Math.round(summary!.settings.serviceLevelTarget * 100)),
  ];
  charts.volume?.destroy();
  charts.service?.destroy();
  charts = {
    volume: new uPlot(
      {
        title: words.trend,
        width,
        height,
        scales: { x: { time: true } },
        axes: axes(),
        series: [
          { label: words.time },
          { label: words.offered, stroke: '#7cc4ff', width: 2, dash: [8, 4] },
          { label: words.answered, stroke: '#8be28b', width: 3 },
        ],
      },
      volume,
      $('#chart-volume'),
    ),
    service: new uPlot(
      {
        title: words.slTrend,
        width,
        height,
        scales: { x: { time: true }, y: { range: [0, 100] } },
        axes: axes({ values: (_u, ticks) => ticks.map((v) => `${v} %`) }),
        series: [
          { label: words.time },
          { label: words.serviceLevel, stroke: '#ffd479', width: 3 },
          { label: fill(words.target, { v: '' }).trim(), stroke: '#ff8c8c', width: 1, dash: [4, 4] },
        ],
      },
      service,
      $('#chart-service'),
    ),
  };
}

const longDate = (date: string) =>
  new Intl.DateTimeFormat(language === 'es' ? 'es-PA' : 'en-US', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));

/** Says when the page shows a day other than today, or today while the events are from another day. */
function renderDay() {
  if (!summary) return;
  const banner = $('#day-banner');
  const other = summary.eventsDay !== summary.today;
  banner.hidden = !other;
  if (!other) return;
  const showingToday = summary.date === summary.today;
  const said = showingToday
    ? fill(words.showingToday, { day: longDate(summary.eventsDay) })
    : fill(words.showingDay, { day: longDate(summary.date) });
  // A status region is read out when it changes: write it only when it says something new, not every 5 s.
  if ($('#day-text').textContent !== said) $('#day-text').textContent = said;
  $('#day-switch').textContent = showingToday ? words.showEventsDay : words.backToToday;
}

/** The charts' figures as a table, for screen readers. */
function renderTrendTable() {
  if (!summary) return;
  $('#trend-table tbody').innerHTML = summary.trend
    .map(
      (p) =>
        `<tr data-start="${escape(p.start)}"><th scope="row">${escape(clock(p.start, summary?.timeZone, language))}</th><td data-cell="offered">${count(p.offered, language)}</td><td data-cell="answered">${count(p.answered, language)}</td><td>${percent(p.serviceLevel, language)}</td></tr>`,
    )
    .join('');
}

function renderStale() {
  const banner = $('#stale');
  const age = Date.now() - lastUpdate;
  const stale = lastUpdate > 0 && age > STALE_MS;
  if (stale) banner.textContent = fill(words.stale, { s: Math.floor(age / 1000) });
  banner.hidden = !stale;
  document.body.classList.toggle('is-stale', stale);
  if (summary)
    $('#updated').textContent = fill(words.updated, { t: new Date(lastUpdate).toLocaleTimeString(language) });
}

function render() {
  if (!summary) return;
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.tile;
  renderLive();
  const statusCounts = live
    ? Object.values(live.cases).reduce<Record<string, number>>((acc, byStatus) => {
        for (const [s, n] of Object.entries(byStatus)) acc[s] = (acc[s] ?? 0) + n;
        return acc;
      }, {})
    : summary.cases.byStatus;
  list(
    '#cases',
    Object.entries(words.statuses).map(([k, label]) => [k, label, statusCounts[k] ?? 0]),
    'status',
  );
  list(
    '#cases-channel',
    Object.entries(summary.cases.byChannel)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => [k, (words.channels as Record<string, string>)[k] ?? k, n]),
    'channel',
  );
  list(
    '#cases-topic',
    summary.cases.byTopic.map((t) => [t.topicId, t.name[language], t.created]),
    'topic',
  );
  $('#repeat').textContent = percent(summary.cases.repeatRate, language);
  renderSurge();
  renderDay();
  renderTrendTable();
  renderCharts();
  if (focused) document.querySelector<HTMLElement>(`[data-tile="${focused}"]`)?.focus();
}

// ---- boot

async function boot() {
  session = await StaffSession.load();
  onLanguageButton(
    () => language,
    (next) => {
      language = next;
      applyLanguage();
    },
  );
  $('#wallboard').addEventListener('click', () => {
    const on = document.body.classList.toggle('wallboard');
    $('#wallboard').setAttribute('aria-pressed', String(on));
    render();
  });
  $('#signout').addEventListener('click', () => void signOut());
  $('#surge-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    void switchSurge(submitter?.value === 'on');
  });
  $('#day-switch').addEventListener('click', () => {
    follow = summary && summary.date === summary.today ? 'events' : 'today';
    void loadSummary();
  });
  window.addEventListener('resize', () => renderCharts());
  applyLanguage();
  await signInAndStart(session, { showLogin, start, messages: () => words });
}

void boot();
