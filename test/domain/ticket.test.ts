import fc from 'fast-check';
import { InvalidTicketError } from '../../shared/domain/errors';
import {
  formatTicket,
  generateTicket,
  parseTicket,
  speakTicket,
  verhoeffCheckDigit,
  verhoeffValid,
  type Ticket,
} from '../../shared/domain/ticket';
import { seededRandom } from '../../shared/domain/random';

const seeded = seededRandom;
const tickets = fc.integer().map((seed) => generateTicket(seeded(seed)));

describe('ticket numbers', () => {
  it('matches the published Verhoeff example (236 → 3)', () => {
    expect(verhoeffCheckDigit('236')).toBe(3);
    expect(verhoeffValid('2363')).toBe(true);
    expect(verhoeffValid('2364')).toBe(false);
  });

  it('generates 10 digits, never starting with 0, that validate', () => {
    fc.assert(
      fc.property(tickets, (t) => {
        expect(t).toMatch(/^[1-9]\d{9}$/);
        expect(parseTicket(t)).toBe(t);
      }),
    );
  });

  it('catches every single-digit error', () => {
    fc.assert(
      fc.property(tickets, fc.nat(9), fc.integer({ min: 1, max: 9 }), (t, position, delta) => {
        const digit = (Number(t[position]) + delta) % 10;
        const typo = t.slice(0, position) + digit + t.slice(position + 1);
        expect(verhoeffValid(typo)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('catches every adjacent transposition of different digits', () => {
    fc.assert(
      fc.property(tickets, fc.nat(8), (t, i) => {
        fc.pre(t[i] !== t[i + 1]);
        const swapped = t.slice(0, i) + t[i + 1] + t[i] + t.slice(i + 2);
        expect(verhoeffValid(swapped)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads keyed input with spaces, dashes or dots', () => {
    const t = generateTicket(seeded(7));
    const spaced = formatTicket(t);
    expect(spaced).toMatch(/^\d{3} \d{3} \d{3} \d$/);
    expect(parseTicket(spaced)).toBe(t);
    expect(parseTicket(spaced.replace(/ /g, '-'))).toBe(t);
    expect(parseTicket(` ${spaced.replace(/ /g, '.')} `)).toBe(t);
  });

  it('speaks each digit, grouped', () => {
    expect(speakTicket('4829137756' as Ticket)).toBe('4 8 2, 9 1 3, 7 7 5, 6');
  });

  it.each([
    ['', 'must be 10 digits'],
    ['12345', 'must be 10 digits'],
    ['12345678901', 'must be 10 digits'],
    ['abcdefghij', 'must be 10 digits'],
    ['0123456789', 'cannot start with 0'],
  ])('rejects %p with a typed error', (input, message) => {
    expect(() => parseTicket(input)).toThrow(InvalidTicketError);
    expect(() => parseTicket(input)).toThrow(message);
  });

  it('rejects a wrong check digit', () => {
    const t = generateTicket(seeded(3));
    const wrong = t.slice(0, 9) + ((Number(t[9]) + 1) % 10);
    expect(() => parseTicket(wrong)).toThrow('check digit does not match');
  });
});
