import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

interface DbConfig {
    instanceClass: string;
    allocatedStorage: number;
}

const config = new pulumi.Config();
const vpcId = config.require("vpcId");
const dbSubnetIds = config.requireObject<string[]>("dbSubnetIds");
const nomadClientSgId = config.require("nomadClientSgId");
const opsTopicArn = "arn:aws:sns:eu-west-1:412938475521:platform-data-alerts";

// Shared by all audit Postgres instances.
const subnets = new aws.rds.SubnetGroup("audit-pg-subnets", {
    subnetIds: dbSubnetIds,
    tags: { team: "platform-data" },
});

const pgSg = new aws.ec2.SecurityGroup("audit-pg-sg", {
    vpcId,
    description: "Postgres from Nomad clients",
    ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [nomadClientSgId] }],
});

// Main audit database. Stays.
const auditCfg = config.requireObject<DbConfig>("auditDb");
const auditDb = new aws.rds.Instance("audit-pg", {
    identifier: "audit-prod-01",
    engine: "postgres",
    engineVersion: "15.5",
    instanceClass: auditCfg.instanceClass,
    allocatedStorage: auditCfg.allocatedStorage,
    dbName: "audit",
    username: "pgadmin",
    manageMasterUserPassword: true,
    dbSubnetGroupName: subnets.name,
    vpcSecurityGroupIds: [pgSg.id],
    backupRetentionPeriod: 14,
    deletionProtection: true,
});

// Audit Events database, written by audit-events-collector.
const db = new aws.rds.Instance("audit-events-pg", {
    identifier: "aevt-prod-01",
    engine: "postgres",
    engineVersion: "15.5",
    instanceClass: config.requireObject<DbConfig>("auditEventsDb").instanceClass,
    allocatedStorage: 200,
    maxAllocatedStorage: 1000,
    dbName: "audit_events",
    username: "pgadmin",
    manageMasterUserPassword: true,
    dbSubnetGroupName: subnets.name,
    vpcSecurityGroupIds: [pgSg.id],
    backupRetentionPeriod: 7,
    deletionProtection: true,
    tags: { team: "platform-data", service: "audit-events-collector" },
});

new aws.cloudwatch.MetricAlarm("audit-events-pg-alarm", {
    alarmDescription: "Audit Events database free storage below 20 GiB",
    namespace: "AWS/RDS",
    metricName: "FreeStorageSpace",
    dimensions: { DBInstanceIdentifier: db.identifier },
    statistic: "Minimum",
    period: 300,
    evaluationPeriods: 3,
    threshold: 20 * 1024 ** 3,
    comparisonOperator: "LessThanThreshold",
    alarmActions: [opsTopicArn],
});

// The archive lives in the data-lake stack (audit_events_archive); we only look it up.
const archive = aws.rds.getInstanceOutput({ dbInstanceIdentifier: "audit-events-archive-prod" });

export const auditEndpoint = auditDb.address;
export const auditEventsEndpoint = db.address;
export const auditEventsPort = db.port;
export const archiveEndpoint = archive.address;
export const databases = ["audit", "audit_events", "audit_events_archive"];
