import { InvalidTicketError } from './errors';

/** A 10-digit case ticket: 9 random digits (the first not 0) and a Verhoeff check digit. */
export type Ticket = string & { readonly __brand: 'Ticket' };

// Verhoeff tables: multiplication in the dihedral group D5, the position permutation, and the inverse.
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

function verhoeff(digits: string, offset: number): number {
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    c = D[c]![P[(i + offset) % 8]![digit]!]!;
  }
  return c;
}

/** The Verhoeff check digit for a string of digits. */
export function verhoeffCheckDigit(digits: string): number {
  return INV[verhoeff(digits, 1)]!;
}

/** True when the last digit is the Verhoeff check digit of the others. */
export function verhoeffValid(digits: string): boolean {
  return /^\d+$/.test(digits) && verhoeff(digits, 0) === 0;
}

/** A source of uniform random numbers in [0, 1); injected so tests and callers decide. */
export type RandomSource = () => number;

export function generateTicket(random: RandomSource): Ticket {
  let body = String(1 + Math.floor(random() * 9));
  for (let i = 0; i < 8; i++) body += String(Math.floor(random() * 10));
  return (body + String(verhoeffCheckDigit(body))) as Ticket;
}

/** Parses a ticket as keyed or typed: spaces, dashes and dots are ignored. Throws InvalidTicketError. */
export function parseTicket(input: string): Ticket {
  if (typeof input !== 'string') throw new InvalidTicketError('must be text');
  const digits = input.replace(/[\s.-]/g, '');
  if (!/^\d{10}$/.test(digits)) throw new InvalidTicketError('must be 10 digits');
  if (digits[0] === '0') throw new InvalidTicketError('cannot start with 0');
  if (!verhoeffValid(digits)) throw new InvalidTicketError('check digit does not match');
  return digits as Ticket;
}

export function isTicket(input: string): input is Ticket {
  try {
    parseTicket(input);
    return true;
  } catch {
    return false;
  }
}

/** For display and for reading aloud in groups: "482 913 775 6". */
export function formatTicket(ticket: Ticket): string {
  return `${ticket.slice(0, 3)} ${ticket.slice(3, 6)} ${ticket.slice(6, 9)} ${ticket.slice(9)}`;
}

/**
 * For speech synthesis: each digit separated, groups separated by a pause mark, so a voice reads
 * "4 8 2, 9 1 3, 7 7 5, 6" digit by digit rather than as a large number.
 */
export function speakTicket(ticket: Ticket): string {
  return formatTicket(ticket)
    .split(' ')
    .map((group) => group.split('').join(' '))
    .join(', ');
}
