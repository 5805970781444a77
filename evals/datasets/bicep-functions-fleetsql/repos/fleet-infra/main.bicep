// Fleet platform - production data tier (West Europe).
// The shared logical server hosts fleet_core, fleet_telemetry and fleet_telemetry_archive.
targetScope = 'resourceGroup'

@description('Shared Azure SQL logical server for the fleet platform (fleet_core lives here too)')
param sqlServerName string = 'sql-fleet-prod-weu'
param location string = resourceGroup().location
param keyVaultName string
param peSubnetId string
param logAnalyticsId string
param opsActionGroupId string
param fleetTelemetrySku string = 'S3'

resource sqlServer 'Microsoft.Sql/servers@2022-05-01-preview' existing = {
  name: sqlServerName
}

resource fleetCoreDb 'Microsoft.Sql/servers/databases@2022-05-01-preview' = {
  parent: sqlServer
  name: 'fleet_core'
  location: location
  sku: {
    name: 'P2'
    tier: 'Premium'
  }
}

resource fleetTelemetryArchiveDb 'Microsoft.Sql/servers/databases@2022-05-01-preview' = {
  parent: sqlServer
  name: 'fleet_telemetry_archive'
  location: location
  sku: {
    name: 'S1'
    tier: 'Standard'
  }
}

module fleetTelemetrySql 'modules/sql.bicep' = {
  name: 'fleet-telemetry-sql-${uniqueString(resourceGroup().id)}'
  params: {
    serverName: sqlServerName
    skuName: fleetTelemetrySku
    location: location
    keyVaultName: keyVaultName
    subnetId: peSubnetId
    logAnalyticsId: logAnalyticsId
    actionGroupId: opsActionGroupId
  }
}

output fleetTelemetryDatabaseId string = fleetTelemetrySql.outputs.databaseId
output fleetTelemetrySecretUri string = fleetTelemetrySql.outputs.secretUri
output sqlServerFqdn string = sqlServer.properties.fullyQualifiedDomainName
