import {
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  type CfnElement,
  type aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_lambda_destinations as destinations,
  aws_s3 as s3,
  aws_s3_notifications as s3n,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CompiledConfig } from '../../shared/config/load';
import { ENV } from '../../shared/runtime/env';
import { BundledFunction, grantTable } from './bundled-function';
import { DailySchedule, deadLetterQueue } from './daily-schedule';
import { INDEXES } from '../../shared/adapters/dynamodb/tables';

export interface BackOfficeProps {
  readonly config: CompiledConfig;
  readonly casesTable: dynamodb.ITableV2;
  readonly citizensTable: dynamodb.ITableV2;
  /** Where the exchange bucket's access logs go. */
  readonly accessLogs: s3.IBucket;
  /** Local hour of the morning export. Default 7. */
  readonly exportHour?: number;
}

/**
 * The back office's file exchange: the morning export of each working department into the exchange bucket,
 * and the import of the answer files the agencies upload there — each function with only the table actions and
 * bucket prefixes it uses.
 */
export class BackOffice extends Construct {
  readonly bucket: s3.Bucket;
  readonly dailyExport: BundledFunction;
  readonly answerImport: BundledFunction;

  constructor(scope: Construct, id: string, props: BackOfficeProps) {
    super(scope, id);
    const { config, casesTable, citizensTable } = props;
    this.bucket = new s3.Bucket(this, 'Exchange', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'exchange/',
      // The files carry names, documents and phones: kept for the schedule's `exportFile` term; a version
      // replaced or deleted (as the expiry does) stays a week for recovery, then goes.
      lifecycleRules: [
        {
          expiration: Duration.days(config.deployment.retention.exportFile.days),
          noncurrentVersionExpiration: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const tables = {
      [ENV.CASES_TABLE]: casesTable.tableName,
      [ENV.CITIZENS_TABLE]: citizensTable.tableName,
    };
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    const objects = (fn: BundledFunction, action: string, prefix: string) => {
      fn.role.addToPolicy(
        new iam.PolicyStatement({ actions: [action], resources: [this.bucket.arnForObjects(`${prefix}/*`)] }),
      );
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}/*]`,
        reason: `The function works on the objects under ${prefix}/ of the exchange bucket, whose names it cannot know in advance.`,
      });
    };

    // The morning export: resumable, so the whole quarter hour is available to a long one.
    this.dailyExport = new BundledFunction(this, 'daily-export', {
      name: 'daily-export',
      description: 'Morning export of each working department into the exchange bucket',
      config,
      environment: { ...tables, [ENV.EXCHANGE_BUCKET]: this.bucket.bucketName },
      timeout: Duration.minutes(15),
      memorySize: 1024,
    });
    // The export reads the citizens for its rows; screen pops follow from the stream.
    // OPEN cases from the status index, the batch in transactions of puts, its audit events in batch puts; a
    // rectification's notice settled (deleted) in the transaction that adds its rows to the batch.
    grantTable(
      this.dailyExport,
      casesTable,
      ['Query', 'PutItem', 'BatchWriteItem', 'DeleteItem'],
      [INDEXES.byStatus.name],
    );
    grantTable(this.dailyExport, citizensTable, ['BatchGetItem']);
    objects(this.dailyExport, 's3:PutObject', 'exports');
    new DailySchedule(this, 'ExportSchedule', {
      fn: this.dailyExport.fn,
      description: 'Ventanilla morning export; the business calendar decides per department',
      hour: props.exportHour ?? 7,
      timeZone: config.deployment.timeZone,
    });

    // Answer files uploaded by the agencies.
    this.answerImport = new BundledFunction(this, 'answer-import', {
      name: 'answer-import',
      description: 'Imports an answers file uploaded under imports/<department>/ and writes its report',
      config,
      environment: { ...tables, [ENV.EXCHANGE_BUCKET]: this.bucket.bucketName },
      timeout: Duration.minutes(15),
      memorySize: 1024,
      // Uploads are imported two at a time: a burst of files waits in S3's asynchronous queue instead.
      reservedConcurrency: 2,
    });
    // The cases of the file's tickets, and the same writes as the export; no citizen is read.
    grantTable(this.answerImport, casesTable, ['BatchGetItem', 'Query', 'PutItem', 'BatchWriteItem']);
    objects(this.answerImport, 's3:GetObject', 'imports');
    objects(this.answerImport, 's3:PutObject', 'reports');
    this.answerImport.fn.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new destinations.SqsDestination(deadLetterQueue(this, 'ImportDeadLetters')),
    });
    this.bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.LambdaDestination(this.answerImport.fn),
      { prefix: 'imports/', suffix: '.csv' },
    );
    const notifications = Stack.of(this).node.children.find((c) =>
      c.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (notifications)
      Validations.of(notifications).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's bucket-notification function uses AWSLambdaBasicExecutionRole only to write its own logs; it runs at deploy time to set the upload trigger.",
      });
  }
}
