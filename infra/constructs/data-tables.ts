import { RemovalPolicy, aws_dynamodb as dynamodb } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TABLES, type TableId, type TableSpec } from '../../shared/adapters/dynamodb/tables';

export interface DataTablesProps {
  /** Prefix of the physical names; by default CloudFormation names the tables. */
  readonly tableNamePrefix?: string;
}

/**
 * The DynamoDB tables, built from the same definitions the local runtime and tests use. Every table has
 * point-in-time recovery, deletion protection, encryption at rest, TTL on the spec's attribute, and is
 * retained if the stack is deleted. Construct ids are the table ids and never change.
 */
export class DataTables extends Construct {
  readonly tables: Readonly<Record<TableId, dynamodb.TableV2>>;

  constructor(scope: Construct, id: string, props: DataTablesProps = {}) {
    super(scope, id);
    this.tables = Object.fromEntries(TABLES.map((spec) => [spec.id, this.table(spec, props)])) as Record<
      TableId,
      dynamodb.TableV2
    >;
  }

  private table(spec: TableSpec, props: DataTablesProps): dynamodb.TableV2 {
    const key = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    return new dynamodb.TableV2(this, spec.id, {
      ...(props.tableNamePrefix ? { tableName: `${props.tableNamePrefix}${spec.id}` } : {}),
      partitionKey: key(spec.partitionKey),
      sortKey: key(spec.sortKey),
      billing: dynamodb.Billing.onDemand(),
      globalSecondaryIndexes: spec.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      ...(spec.ttlAttribute ? { timeToLiveAttribute: spec.ttlAttribute } : {}),
      ...(spec.stream ? { dynamoStream: dynamodb.StreamViewType[spec.stream] } : {}),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
