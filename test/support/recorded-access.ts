import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const TRANSACT_ITEM: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/**
 * Records, as IAM sees them, the DynamoDB actions a client performs: `cases:PutItem`,
 * `cases/byStatus:Query` (logical table names, `/index` for a query on an index). What a function's role
 * must allow, derived from what its code does.
 */
export function recordAccess(
  doc: DynamoDBDocumentClient,
  names: Readonly<Record<string, string>>,
): Set<string> {
  const seen = new Set<string>();
  const logical = new Map(Object.entries(names).map(([key, name]) => [name, key]));
  const note = (table: string | undefined, action: string, index?: string) =>
    seen.add(`${logical.get(table ?? '') ?? `unknown(${table})`}${index ? `/${index}` : ''}:${action}`);
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      // The document client's commands reach the stack as DynamoDB's own (GetItemCommand…): the action is
      // the name; a transaction's items each need their own action, a batch its action on each table.
      const action = String(context.commandName).replace(/Command$/, '');
      if (action === 'TransactWriteItems' || action === 'TransactGetItems')
        for (const item of input.TransactItems ?? [])
          for (const [kind, body] of Object.entries(item))
            note((body as { TableName?: string }).TableName, TRANSACT_ITEM[kind] ?? kind);
      else if (action === 'BatchGetItem' || action === 'BatchWriteItem')
        for (const table of Object.keys(input.RequestItems ?? {})) note(table, action);
      else note(input.TableName, action, input.IndexName);
      return next(args);
    },
    { step: 'initialize', name: 'recordAccess' },
  );
  return seen;
}
