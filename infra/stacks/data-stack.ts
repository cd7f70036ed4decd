import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataTables } from '../constructs/data-tables';

/** Stateful resources only: the tables (and, as they land, the stream and keys). */
export class DataStack extends Stack {
  readonly data: DataTables;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.data = new DataTables(this, 'Tables');
  }
}
