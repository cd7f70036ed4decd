import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoMessageQuota } from '../../shared/adapters/dynamodb/message-quota';
import { freshTables } from '../support/dynamo';

describe('the daily limit of messages to a number, on DynamoDB Local', () => {
  let quota: DynamoMessageQuota;
  let read: (to: string, day: string) => Promise<Record<string, unknown> | undefined>;
  beforeAll(async () => {
    const tables = await freshTables();
    quota = new DynamoMessageQuota(tables.doc, tables.names.citizens);
    read = async (to, day) => {
      const { Item } = await tables.doc.send(
        new GetCommand({ TableName: tables.names.citizens, Key: { pk: `QUOTA#${to}`, sk: `DAY#${day}` } }),
      );
      return Item;
    };
  });

  it('lets exactly the cap through when many messages race for one number', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => quota.take('+50760000001', '2026-11-30', `m-${i}`, 3)),
    );
    expect(results.filter(Boolean)).toHaveLength(3);
    // Another day and another number have their own.
    expect(await quota.take('+50760000001', '2026-12-01', 'm-99', 3)).toBe(true);
    expect(await quota.take('+50760000002', '2026-11-30', 'm-99', 3)).toBe(true);
  });

  it('counts a retried message once, and lets it through even when the day is spent', async () => {
    const day = '2026-11-29';
    expect(await quota.take('+50760000003', day, 'a', 2)).toBe(true);
    expect(await quota.take('+50760000003', day, 'a', 2)).toBe(true);
    expect(await quota.take('+50760000003', day, 'b', 2)).toBe(true);
    expect(await quota.take('+50760000003', day, 'c', 2)).toBe(false);
    expect(await quota.take('+50760000003', day, 'b', 2)).toBe(true);
    const item = await read('+50760000003', day);
    expect([...(item?.ids as Set<string>)].sort()).toEqual(['a', 'b']);
    // Removed by TTL two days after its day ends: it holds a phone number.
    expect(item?.expiresAt).toBe(Date.parse('2026-11-29T00:00:00Z') / 1000 + 3 * 86_400);
  });
});
