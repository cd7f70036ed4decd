import { parseKinesisRecord } from '../shared/adapters/connect/stream-records';
import { InMemoryMetricsStore } from '../shared/adapters/memory/metrics-store';
import { effectsOf, type MetricsSettings } from '../shared/domain/metrics/effects';
import { asKinesis, morning } from '../test/support/morning';
import { progress, report, round } from './harness';

const settings: MetricsSettings = {
  serviceLevelSeconds: 20,
  departmentOf: (queue) => queue.split('/')[1],
  localDate: (at) => new Date(Date.parse(at) - 5 * 3600_000).toISOString().slice(0, 10),
};

/** Records a second for `fn` over every record, best of `rounds` passes (the machine is shared and noisy). */
function rate(
  records: ReturnType<typeof asKinesis>,
  fn: (r: (typeof records)[number]) => unknown,
  rounds = 7,
): number {
  let best = 0;
  for (let round_ = 0; round_ < rounds; round_++) {
    const start = process.hrtime.bigint();
    for (const r of records) fn(r);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, records.length / seconds);
  }
  return best;
}

export async function run(): Promise<void> {
  const { payloads } = morning(5000, 5);
  const records = asKinesis(payloads);
  progress(`metrics: ${records.length} records (contact records, contact events, agent events)`);
  let sink = 0;
  const floor = rate(
    records,
    (r) => (sink += JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')) ? 1 : 0),
  );
  const handling = rate(records, (r) => {
    const parsed = parseKinesisRecord(r);
    if (parsed.status === 'event') sink += effectsOf(parsed.event, settings).length;
  });
  // With the in-memory application of the effects, as a reference (storage itself is DynamoDB's cost).
  let store = new InMemoryMetricsStore();
  const withApply = rate(records, (r) => {
    const parsed = parseKinesisRecord(r);
    if (parsed.status === 'event')
      void store.applyOnce(`${parsed.event.kind}#${parsed.event.key}`, effectsOf(parsed.event, settings));
  });
  store = new InMemoryMetricsStore();
  report({
    name: 'metrics.parse_floor.records_per_s',
    value: Math.round(floor),
    unit: 'records/s',
    records: records.length,
  });
  report({
    name: 'metrics.aggregate.events_per_s',
    value: Math.round(handling),
    unit: 'events/s',
    records: records.length,
  });
  report({
    name: 'metrics.aggregate.ratio_to_parse_floor',
    value: round(handling / floor),
    unit: 'ratio',
    goal: '>= 0.7',
  });
  report({
    name: 'metrics.aggregate_in_memory.events_per_s',
    value: Math.round(withApply),
    unit: 'events/s',
    sink: sink > 0,
  });
}
