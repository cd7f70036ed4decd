import { exportCsv, type ExportRow } from '../../shared/domain/backoffice';
import { openCase, transitionCase } from '../../shared/domain/case';
import { newCitizen } from '../../shared/domain/citizen';
import { parseCsv, spreadsheetSafe } from '../../shared/domain/csv';
import { ValidationError } from '../../shared/domain/errors';
import { phoneIdentity } from '../../shared/domain/identity';
import { newNote } from '../../shared/domain/notes';
import { cleanText } from '../../shared/domain/text';
import { generateTicket, parseTicket } from '../../shared/domain/ticket';

const NOW = '2026-11-24T15:00:00.000Z';
const ticket = parseTicket(generateTicket(() => 0.5));
const actor = { id: 'u', role: 'agent' as const };

describe('exports safe to open in a spreadsheet', () => {
  const row = (fields: Partial<ExportRow>): ExportRow => ({
    ticket,
    date: '2026-11-24',
    name: 'Ana Pérez',
    document: '',
    phone: '+50761234567',
    topic: 'Queja',
    request: '',
    ...fields,
  });
  const requestCell = (value: string) => {
    const [, record] = parseCsv(exportCsv([row({ request: value })]));
    return record && 'fields' in record ? record.fields[6] : undefined;
  };

  it.each([
    ['=HYPERLINK("http://x.example","ver")', `'=HYPERLINK("http://x.example","ver")`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['a = b', 'a = b'],
  ])('neutralises a cell beginning %j', (value, safe) => {
    expect(spreadsheetSafe(value)).toBe(safe);
    // The reader of this project's CSV reads a line break inside a quoted cell as "\n".
    expect(requestCell(value)).toBe(safe.replace('\r', '\n'));
  });

  it('keeps the "+" of a phone number', () => {
    const [, record] = parseCsv(exportCsv([row({})]));
    expect(record && 'fields' in record ? record.fields[4] : undefined).toBe('+50761234567');
  });
});

describe('names and free text', () => {
  const phone = phoneIdentity('6123-4567', 'PA');

  it('refuses a name that begins like a formula, naming the field', () => {
    for (const bad of ['=cmd', '+Ana', '-Ana', '@Ana'])
      expect(() => newCitizen({ givenNames: bad, identities: [phone] }, 'c', NOW)).toThrow(
        new ValidationError('givenNames', 'must not begin with =, +, - or @'),
      );
    expect(newCitizen({ surnames: 'Pérez-Núñez', identities: [phone] }, 'c', NOW).surnames).toBe(
      'Pérez-Núñez',
    );
  });

  it('strips control and bidirectional-override characters from names, requests, answers and notes', () => {
    const hidden = 'Ana\u202Egnp.exe\u0007\u0000 López';
    expect(cleanText(hidden)).toBe('Anagnp.exe López');
    expect(cleanText('línea 1\r\nlínea\t2')).toBe('línea 1\nlínea 2');
    expect(newCitizen({ givenNames: hidden, identities: [phone] }, 'c', NOW).givenNames).toBe(
      'Anagnp.exe López',
    );
    const opened = openCase({
      ticket,
      citizenId: 'c',
      topicId: 'complaint',
      departmentId: 'general-information',
      channel: 'VOICE',
      request: 'pago\u202E atrasado',
      dueAt: NOW,
      actor,
      now: NOW,
    }).case;
    expect(opened.request).toBe('pago atrasado');
    const pending = transitionCase(opened, { to: 'PENDING_RESPONSE', actor, now: NOW }).case;
    const answered = transitionCase(pending, {
      to: 'PENDING_COMMUNICATION',
      answer: '\u2066Aprobado\u2069',
      actor,
      now: NOW,
    }).case;
    expect(answered.answer).toBe('Aprobado');
    expect(newNote({ ticket, id: 'n', at: NOW, author: actor, text: 'llamó\u200F\u0001' }).text).toBe(
      'llamó',
    );
  });
});
