import fc from 'fast-check';
import metadata from 'libphonenumber-js/metadata.min.json';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { COUNTRY_CALLING_CODES, parseE164 } from '../../shared/domain/e164';
import { ValidationError } from '../../shared/domain/errors';
import { normalizePhone } from '../../shared/domain/identity';

describe('E.164 from the network, without numbering-plan metadata', () => {
  it('knows exactly the calling codes libphonenumber knows', () => {
    expect([...COUNTRY_CALLING_CODES].sort()).toEqual(Object.keys(metadata.country_calling_codes).sort());
  });

  it('gives the same key as normalizePhone, or both refuse, for every number libphonenumber deems possible', () => {
    const codes = [...COUNTRY_CALLING_CODES];
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.stringMatching(/^[0-9]{4,13}$/), (code, national) => {
        const e164 = `+${code}${national}`;
        const parsed = parsePhoneNumberFromString(e164);
        if (!parsed?.isPossible() || parsed.number !== e164) return;
        // The same key, or both refuse it (a number dialled only locally is never a network's E.164).
        const key = parseE164(e164);
        if (key) expect(normalizePhone(e164, 'PA')).toBe(key);
        else expect(() => normalizePhone(e164, 'PA')).toThrow(ValidationError);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses, as typed by staff, a number the network never sends: seven digits after +1 (found by the property above)', () => {
    expect(() => normalizePhone('+13103484', 'PA')).toThrow(/not a complete international number/);
    expect(normalizePhone('+1 310 555 3484', 'PA')).toBe('+13105553484');
  });

  it.each(['+50760001234', '+447700900123', '+12025550123', ' +34600123456 '])('accepts %p', (raw) => {
    expect(parseE164(raw)).toBe(raw.trim());
  });

  it.each([
    '6000-1234',
    '+1234567890',
    '+190011112222',
    '+0123456789',
    '+9991234567',
    'anonymous',
    '+507600012341234567890',
    '',
  ])('rejects %p', (raw) => {
    expect(parseE164(raw)).toBeUndefined();
  });
});
