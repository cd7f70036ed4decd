import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, TABLES, type TableId, type TableSpec } from './tables';

/** Physical table names for a prefix: "dev-" → { citizens: "dev-citizens", … }. */
export function tableNames(prefix: string): Record<TableId, string> {
  return Object.fromEntries(TABLES.map((t) => [t.id, `${prefix}${t.id}`])) as Record<TableId, string>;
}

/** Creates every table of the shared definitions that does not exist yet (local and test runtimes only). */
export async function ensureTables(
  client: DynamoDBClient,
  names: Partial<Record<TableId, string>>,
  specs: readonly TableSpec[] = TABLES,
): Promise<void> {
  await Promise.all(
    specs.map(async (spec) => {
      const name = names[spec.id];
      if (!name) throw new Error(`no table name for "${spec.id}"`);
      try {
        await client.send(new CreateTableCommand(createTableInput(spec, name)));
        if (spec.ttlAttribute)
          await client.send(
            new UpdateTimeToLiveCommand({
              TableName: name,
              TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true },
            }),
          );
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      await client.send(new DescribeTableCommand({ TableName: name }));
    }),
  );
}

/** Deletes the tables (and their streams), for tests and benchmarks that are done with them. */
export async function dropTables(
  client: DynamoDBClient,
  names: Partial<Record<TableId, string>>,
): Promise<void> {
  await Promise.all(
    Object.values(names).map(async (TableName) => {
      try {
        await client.send(new DeleteTableCommand({ TableName }));
      } catch (error) {
        if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      }
    }),
  );
}
