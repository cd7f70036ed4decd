import { Duration, RemovalPolicy, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * The citizens' uploaded documents: a private bucket, encrypted, TLS only, its access logged, each file ending
 * with the retention schedule's `document` term. Browsers send files straight to it with a presigned POST
 * from the citizen's page (the only origin its CORS allows), and staff read them through presigned GETs.
 */
export class CitizenUploads extends Construct {
  readonly bucket: s3.Bucket;

  constructor(
    scope: Construct,
    id: string,
    props: { keepDays: number; accessLogs: s3.IBucket; origin: string },
  ) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'uploads/',
      lifecycleRules: [
        { expiration: Duration.days(props.keepDays), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      cors: [
        {
          allowedMethods: [s3.HttpMethods.POST],
          allowedOrigins: [props.origin],
          allowedHeaders: ['*'],
          maxAge: 600,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
