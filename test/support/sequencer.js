/* eslint-disable @typescript-eslint/no-require-imports, no-undef -- a CommonJS module jest loads as it is */
const Sequencer = require('@jest/test-sequencer').default;

/** Suites in a fixed order (by path), with the end-to-end ones lightest first: the same run every time. */
const LAST = ['any-clock', 'simulate-day', 'dashboard', 'backoffice'];
const rank = (path) => {
  const i = LAST.findIndex((name) => path.includes(`/e2e/${name}.`));
  return i < 0 ? -1 : i;
};

class Ordered extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
}

module.exports = Ordered;
