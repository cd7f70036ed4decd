import { readAnswers } from '../../shared/domain/backoffice';
import { delimiterOf } from '../../shared/domain/csv';
import { generateTicket } from '../../shared/domain/ticket';
import { seededRandom } from '../../shared/domain/random';

const random = seededRandom(11);
const [a, b, c] = [generateTicket(random), generateTicket(random), generateTicket(random)];

describe('an answers file as spreadsheets save it', () => {
  it('reads semicolons (a Spanish Excel) as it reads commas', () => {
    const semicolons = readAnswers(`ticket;respuesta\r\n${a};Aprobado; con condiciones\r\n`);
    expect(delimiterOf('ticket;respuesta')).toBe(';');
    expect(semicolons.rows).toEqual([{ line: 2, ticket: a, answer: 'Aprobado' }]);
    const commas = readAnswers(`ticket,answer\n${a},"Aprobado; con condiciones"\n`);
    expect(commas.rows[0]!.answer).toBe('Aprobado; con condiciones');
  });

  it('reports a row without an answer as "no answer yet", not as an error', () => {
    const read = readAnswers(`ticket,answer\n${a},\n${b},Listo\n${c},   \n`);
    expect(read.rows.map((r) => r.ticket)).toEqual([b]);
    expect(read.rejected).toEqual([
      { line: 2, ticket: a, result: 'unchanged', reason: 'no answer yet' },
      { line: 4, ticket: c, result: 'unchanged', reason: 'no answer yet' },
    ]);
  });

  it('refuses text that was decoded with the wrong encoding, naming the line', () => {
    const garbled = `ticket,answer\n${a},Listo\n${b},Informaci\uFFFDn\n`;
    expect(() => readAnswers(garbled)).toThrow(/line 3 .*not UTF-8/);
  });
});
