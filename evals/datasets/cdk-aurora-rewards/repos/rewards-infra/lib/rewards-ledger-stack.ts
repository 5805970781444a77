import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';

export interface LedgerStackProps extends cdk.StackProps {
  vpcId: string;
  alarmTopicArn: string;
  lambdaSecurityGroupId: string;
  instanceClass: string;
}

/**
 * Aurora PostgreSQL cluster behind the Rewards Ledger database.
 * The archive copy (rewards_ledger_archive) is owned by data-platform, not by this stack.
 */
export class RewardsLedgerStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: LedgerStackProps) {
    super(scope, id, props);

    const vpc = ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: props.vpcId });
    const lambdaSg = ec2.SecurityGroup.fromSecurityGroupId(this, 'LambdaSg', props.lambdaSecurityGroupId);

    const dbSg = new ec2.SecurityGroup(this, 'RewardsLedgerDbSg', {
      vpc,
      description: 'rewards_ledger Aurora: ingress from rewards-service lambdas',
      allowAllOutbound: false,
    });
    dbSg.addIngressRule(lambdaSg, ec2.Port.tcp(5432), 'postgres from rewards lambdas');

    const cluster = new rds.DatabaseCluster(this, 'RewardsLedgerCluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({
        version: rds.AuroraPostgresEngineVersion.VER_15_4,
      }),
      clusterIdentifier: 'rwl-aurora-prod',
      defaultDatabaseName: 'rewards_ledger',
      credentials: rds.Credentials.fromGeneratedSecret('ledger_admin', {
        secretName: 'rewards-ledger/aurora-admin',
      }),
      writer: rds.ClusterInstance.provisioned('writer', {
        instanceType: new ec2.InstanceType(props.instanceClass),
      }),
      readers: [rds.ClusterInstance.provisioned('reader1', { promotionTier: 1 })],
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [dbSg],
      storageEncrypted: true,
      backup: { retention: cdk.Duration.days(14), preferredWindow: '01:00-02:00' },
      deletionProtection: true,
      removalPolicy: cdk.RemovalPolicy.SNAPSHOT,
    });

    // rewards-service Lambdas resolve the secret ARN from SSM at cold start (src/rewards/db.py).
    new ssm.StringParameter(this, 'RewardsLedgerDbSecretArn', {
      parameterName: '/rewards/ledger/db-secret-arn',
      stringValue: cluster.secret!.secretArn,
    });

    const alarmTopic = sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);

    const cpuAlarm = cluster.metricCPUUtilization({ period: cdk.Duration.minutes(5) }).createAlarm(this, 'CpuHigh', {
      alarmName: 'rwl-aurora-prod: writer CPU above 80%',
      alarmDescription: 'Rewards Ledger writer CPU above 80% for 15 minutes',
      threshold: 80,
      evaluationPeriods: 3,
    });
    cpuAlarm.addAlarmAction(new cwActions.SnsAction(alarmTopic));

    const connAlarm = new cloudwatch.Alarm(this, 'RewardsLedgerConnAlarm', {
      alarmName: 'rwl-aurora-prod: connections near max_connections',
      metric: cluster.metricDatabaseConnections({ statistic: 'Maximum' }),
      threshold: 800,
      evaluationPeriods: 3,
    });
    connAlarm.addAlarmAction(new cwActions.SnsAction(alarmTopic));

    new cloudwatch.Dashboard(this, 'RewardsLedgerDashboard', {
      dashboardName: 'rewards-ledger-db',
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'CPU', left: [cluster.metricCPUUtilization()] }),
          new cloudwatch.GraphWidget({ title: 'Connections', left: [cluster.metricDatabaseConnections()] }),
          new cloudwatch.GraphWidget({ title: 'Freeable memory', left: [cluster.metricFreeableMemory()] }),
        ],
      ],
    });

    new cdk.CfnOutput(this, 'RewardsLedgerEndpoint', {
      value: cluster.clusterEndpoint.hostname,
      exportName: 'RewardsLedgerEndpoint',
    });
  }
}
