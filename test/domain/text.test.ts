import fc from 'fast-check';
import { normalizeName } from '../../shared/domain/text';

describe('surname normalisation', () => {
  it.each([
    ['Pérez-Núñez', 'PEREZ NUNEZ'],
    ['  pérez   núñez ', 'PEREZ NUNEZ'],
    ["O'Connor", 'O CONNOR'],
    ['MUÑOZ', 'MUNOZ'],
    ['Çelik', 'CELIK'],
    ['de la Peña', 'DE LA PENA'],
  ])('normalises %p to %p', (raw, expected) => {
    expect(normalizeName(raw)).toBe(expected);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        (s) => normalizeName(normalizeName(s)) === normalizeName(s),
      ),
      {
        numRuns: 2000,
      },
    );
  });

  it('ignores accents, case and punctuation', () => {
    const accent: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ü', n: 'ñ', c: 'ç' };
    const word = fc.stringMatching(/^[a-z]{1,12}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('-', ' ', "'", '.'),
        (words, sep) => {
          const plain = words.join(' ');
          const decorated = words
            .map((w) => w.replace(/[aeiounc]/g, (ch) => accent[ch]!).toUpperCase())
            .join(sep);
          return normalizeName(decorated) === normalizeName(plain);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
