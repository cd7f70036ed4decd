import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataTables } from '../constructs/data-tables';
import { EventStream } from '../constructs/stream';

/** Stateful resources only: the tables, the event stream and its key. Their construct ids never change. */
export class DataStack extends Stack {
  readonly data: DataTables;
  readonly events: EventStream;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.data = new DataTables(this, 'Tables');
    this.events = new EventStream(this, 'Events');
  }
}
