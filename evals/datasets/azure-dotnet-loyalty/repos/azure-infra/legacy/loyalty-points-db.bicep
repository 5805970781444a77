// Legacy SQL Server copy of the Loyalty Points database.
// Frozen read-only since the 2022 move to PostgreSQL (psql-loyalty-points-prod); kept for finance audits.
targetScope = 'resourceGroup'

@description('Existing shared legacy SQL server (also hosts the old catalog and crm databases).')
param sqlServerName string = 'sql-contoso-legacy-weu'

param location string = resourceGroup().location

resource sqlServer 'Microsoft.Sql/servers@2022-05-01-preview' existing = {
  name: sqlServerName
}

resource loyaltyPointsDb 'Microsoft.Sql/servers/databases@2022-05-01-preview' = {
  parent: sqlServer
  name: 'loyalty_points'
  location: location
  sku: {
    name: 'S1'
    tier: 'Standard'
  }
  properties: {
    collation: 'SQL_Latin1_General_CP1_CI_AS'
    readScale: 'Disabled'
    zoneRedundant: false
    requestedBackupStorageRedundancy: 'Geo'
  }
  tags: {
    status: 'read-only'
    replacedBy: 'psql-loyalty-points-prod'
  }
}

resource loyaltyPointsBackup 'Microsoft.Sql/servers/databases/backupLongTermRetentionPolicies@2022-05-01-preview' = {
  parent: loyaltyPointsDb
  name: 'default'
  properties: {
    weeklyRetention: 'P12W'
    monthlyRetention: 'P12M'
    yearlyRetention: 'P7Y'
    weekOfYear: 1
  }
}

output loyaltyPointsDbId string = loyaltyPointsDb.id
