import { exportRow } from '../../shared/domain/backoffice';
import { openCase } from '../../shared/domain/case';
import { loadConfig } from '../../shared/config/load';
import type { Ticket } from '../../shared/domain/ticket';

const { calendar, catalogue } = loadConfig('config/city-hall');
const localDate = (at: Date) => calendar.local(at).date;
const opened = (now: string) =>
  openCase({
    ticket: '4829137756' as Ticket,
    citizenId: 'c-1',
    topicId: 'property-tax',
    departmentId: 'tax',
    channel: 'VOICE',
    request: 'Cuánto debo',
    dueAt: '2026-12-01T21:00:00.000Z',
    actor: { id: 'ivr', role: 'ivr' },
    now,
  }).case;

describe("the export's date column", () => {
  it.each([
    ['20:30 on Thursday in Panama (01:30 UTC on Friday)', '2026-11-27T01:30:00.000Z', '2026-11-26'],
    ['23:59 on New Year’s Eve in Panama', '2027-01-01T04:59:00.000Z', '2026-12-31'],
    ['00:00 on New Year’s Day in Panama', '2027-01-01T05:00:00.000Z', '2027-01-01'],
    ['10:00 in Panama', '2026-11-24T15:00:00.000Z', '2026-11-24'],
  ])('is the local day a case was opened: %s', (_when, createdAt, date) => {
    expect(exportRow(opened(createdAt), undefined, catalogue, localDate).date).toBe(date);
  });
});
