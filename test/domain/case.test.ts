import {
  CASE_STATUSES,
  canTransition,
  openCase,
  transitionCase,
  type Actor,
  type Case,
  type CaseStatus,
} from '../../shared/domain/case';
import { ForbiddenError, IllegalTransitionError, ValidationError } from '../../shared/domain/errors';
import type { Ticket } from '../../shared/domain/ticket';

const agent: Actor = { id: 'agent-1', role: 'agent' };
const supervisor: Actor = { id: 'sup-1', role: 'supervisor' };
const T0 = '2026-11-24T14:00:00.000Z';
const T1 = '2026-11-24T15:00:00.000Z';

function fresh(): Case {
  return openCase({
    ticket: '4829137756' as Ticket,
    citizenId: 'c-1',
    topicId: 'property-tax',
    departmentId: 'tax',
    channel: 'VOICE',
    request: '  Quiero saber cuánto debo  ',
    dueAt: '2026-12-01T21:00:00.000Z',
    actor: { id: 'ivr', role: 'ivr' },
    now: T0,
  }).case;
}
const withStatus = (status: CaseStatus): Case => ({ ...fresh(), status });

describe('case state machine', () => {
  it('opens a case at version 1 with a CREATED audit event', () => {
    const { case: c, audit } = openCase({
      ticket: '4829137756' as Ticket,
      citizenId: 'c-1',
      topicId: 'property-tax',
      departmentId: 'tax',
      channel: 'SMS',
      dueAt: T1,
      actor: agent,
      now: T0,
    });
    expect(c).toMatchObject({ status: 'OPEN', version: 1, channel: 'SMS', createdAt: T0 });
    expect(audit).toEqual({
      ticket: c.ticket,
      seq: 1,
      at: T0,
      actor: agent,
      action: 'CREATED',
      from: null,
      to: 'OPEN',
    });
  });

  it('trims the request text', () => {
    expect(fresh().request).toBe('Quiero saber cuánto debo');
  });

  const legal: [CaseStatus, CaseStatus][] = [
    ['OPEN', 'PENDING_RESPONSE'],
    ['OPEN', 'RESOLVED'],
    ['OPEN', 'CANCELLED'],
    ['PENDING_RESPONSE', 'PENDING_COMMUNICATION'],
    ['PENDING_RESPONSE', 'OPEN'],
    ['PENDING_RESPONSE', 'CANCELLED'],
    ['PENDING_COMMUNICATION', 'COMMUNICATED'],
    ['PENDING_COMMUNICATION', 'CANCELLED'],
  ];

  it('allows exactly the legal forward transitions', () => {
    for (const from of CASE_STATUSES)
      for (const to of CASE_STATUSES) {
        const expected = legal.some(([f, t]) => f === from && t === to);
        expect([from, to, canTransition(from, to)]).toEqual([from, to, expected]);
      }
  });

  it.each(legal)('moves %s → %s with an audit event carrying actor, from, to, at', (from, to) => {
    const { case: next, audit } = transitionCase(withStatus(from), {
      to,
      actor: agent,
      now: T1,
      reason: 'checked',
      answer: 'Su paz y salvo está listo.',
    });
    expect(next.status).toBe(to);
    expect(next.version).toBe(2);
    expect(next.updatedAt).toBe(T1);
    expect(audit).toMatchObject({ seq: 2, actor: agent, from, to, at: T1, action: 'TRANSITIONED' });
  });

  it.each([
    ['OPEN', 'COMMUNICATED'],
    ['OPEN', 'PENDING_COMMUNICATION'],
    ['PENDING_COMMUNICATION', 'OPEN'],
    ['PENDING_COMMUNICATION', 'PENDING_RESPONSE'],
    ['RESOLVED', 'CANCELLED'],
    ['COMMUNICATED', 'PENDING_RESPONSE'],
  ] as [CaseStatus, CaseStatus][])('rejects %s → %s with a typed error', (from, to) => {
    const before = withStatus(from);
    expect(() =>
      transitionCase(before, { to, actor: supervisor, now: T1, reason: 'r', answer: 'a' }),
    ).toThrow(IllegalTransitionError);
    expect(before.status).toBe(from);
  });

  it('requires an answer to reach PENDING_COMMUNICATION and stores it', () => {
    const pending = withStatus('PENDING_RESPONSE');
    expect(() =>
      transitionCase(pending, { to: 'PENDING_COMMUNICATION', actor: agent, now: T1, answer: '  ' }),
    ).toThrow(new ValidationError('answer', 'is required'));
    const { case: next } = transitionCase(pending, {
      to: 'PENDING_COMMUNICATION',
      actor: agent,
      now: T1,
      answer: 'Aprobado',
    });
    expect(next.answer).toBe('Aprobado');
  });

  it('requires a reason to cancel or to send back for more information', () => {
    expect(() => transitionCase(withStatus('OPEN'), { to: 'CANCELLED', actor: agent, now: T1 })).toThrow(
      'reason: is required',
    );
    expect(() =>
      transitionCase(withStatus('PENDING_RESPONSE'), { to: 'OPEN', actor: agent, now: T1 }),
    ).toThrow('reason: is required');
  });

  it.each(['COMMUNICATED', 'RESOLVED', 'CANCELLED'] as CaseStatus[])(
    'lets a supervisor reopen a %s case with a reason',
    (status) => {
      const { case: next, audit } = transitionCase(withStatus(status), {
        to: 'OPEN',
        actor: supervisor,
        now: T1,
        reason: 'Citizen disputes the answer',
      });
      expect(next.status).toBe('OPEN');
      expect(audit).toMatchObject({
        action: 'REOPENED',
        from: status,
        to: 'OPEN',
        reason: 'Citizen disputes the answer',
      });
    },
  );

  it('refuses a reopen by an agent, or without a reason', () => {
    expect(() =>
      transitionCase(withStatus('RESOLVED'), { to: 'OPEN', actor: agent, now: T1, reason: 'x' }),
    ).toThrow(ForbiddenError);
    expect(() => transitionCase(withStatus('RESOLVED'), { to: 'OPEN', actor: supervisor, now: T1 })).toThrow(
      'reason: is required',
    );
  });

  it('bounds the length of free text', () => {
    expect(() =>
      transitionCase(withStatus('PENDING_RESPONSE'), {
        to: 'PENDING_COMMUNICATION',
        actor: agent,
        now: T1,
        answer: 'x'.repeat(2001),
      }),
    ).toThrow('answer: must be at most 2000 characters');
  });
});
