import { ValidationError } from '../../shared/domain/errors';
import {
  documentIdentity,
  maskIdentity,
  normalizeDocument,
  normalizeEmail,
  normalizePhone,
} from '../../shared/domain/identity';

describe('identities', () => {
  it.each([
    ['6000-1234', '+50760001234'],
    ['6000 1234', '+50760001234'],
    ['+507 6000-1234', '+50760001234'],
    ['whatsapp:+50760001234', '+50760001234'],
    ['+44 7700 900123', '+447700900123'],
  ])('normalises phone %p against PA to %p', (raw, e164) => {
    expect(normalizePhone(raw, 'PA')).toBe(e164);
  });

  it.each(['', '12', 'hello', '+1 900 1111 2222 3333', '6000-1234; DROP TABLE'])(
    'rejects phone %p naming the field',
    (raw) => {
      expect(() => normalizePhone(raw, 'PA', 'caller.phone')).toThrow(ValidationError);
      expect(() => normalizePhone(raw, 'PA', 'caller.phone')).toThrow(/^caller\.phone: /);
    },
  );

  it('rejects a non-string phone', () => {
    expect(() => normalizePhone(42, 'PA')).toThrow('phone: is required');
  });

  it('lower-cases and validates email', () => {
    expect(normalizeEmail('  Ana.Perez@Example.ORG ')).toBe('ana.perez@example.org');
    expect(() => normalizeEmail('ana@')).toThrow('email: is not an email address');
  });

  it('compacts and upper-cases a document number', () => {
    expect(normalizeDocument('cedula', '8-123-456')).toEqual({ type: 'CEDULA', number: '8123456' });
    expect(normalizeDocument('passport', 'pa 12.345')).toEqual({ type: 'PASSPORT', number: 'PA12345' });
    expect(documentIdentity(normalizeDocument('cedula', 'pe-12-34'))).toEqual({
      kind: 'DOCUMENT',
      value: 'CEDULA#PE1234',
    });
  });

  it.each([
    ['CEDULA', '', 'document.number: is required'],
    ['CEDULA', '8/123', 'document.number: must be letters and digits'],
    ['C', '8123', 'document.type: must be 2 to 16 letters'],
  ])('rejects document %p %p', (type, number, message) => {
    expect(() => normalizeDocument(type, number)).toThrow(message);
  });

  it('masks identities for logs', () => {
    expect(maskIdentity({ kind: 'PHONE', value: '+50760001234' })).toBe('+50***234');
    expect(maskIdentity({ kind: 'EMAIL', value: 'ana.perez@example.org' })).toBe('a***@example.org');
    expect(maskIdentity({ kind: 'DOCUMENT', value: 'CEDULA#8123456' })).not.toContain('8123456');
  });
});
