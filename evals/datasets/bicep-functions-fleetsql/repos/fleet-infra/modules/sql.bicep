// Telemetry data tier: the fleet_telemetry database, its Key Vault secret, private endpoint,
// diagnostic settings and DTU alert. The logical server itself is shared and declared in main.bicep.
param serverName string
param skuName string = 'S3'
param location string
param keyVaultName string
param subnetId string
param logAnalyticsId string
param actionGroupId string

resource server 'Microsoft.Sql/servers@2022-05-01-preview' existing = {
  name: serverName
}

resource db 'Microsoft.Sql/servers/databases@2022-05-01-preview' = {
  parent: server
  name: 'fleet_telemetry'
  location: location
  sku: {
    name: skuName
    tier: 'Standard'
  }
  properties: {
    collation: 'SQL_Latin1_General_CP1_CI_AS'
    maxSizeBytes: 268435456000
    zoneRedundant: false
  }
}

resource kv 'Microsoft.KeyVault/vaults@2023-02-01' existing = {
  name: keyVaultName
}

resource connSecret 'Microsoft.KeyVault/vaults/secrets@2023-02-01' = {
  parent: kv
  name: 'fleet-telemetry-connstr'
  properties: {
    value: 'Server=tcp:${server.properties.fullyQualifiedDomainName},1433;Initial Catalog=${db.name};Authentication=Active Directory Managed Identity;'
    contentType: 'text/plain'
  }
}

resource fleetTelemetryPe 'Microsoft.Network/privateEndpoints@2023-04-01' = {
  name: 'pe-fleet-telemetry-sql'
  location: location
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'sql'
        properties: {
          privateLinkServiceId: server.id
          groupIds: [
            'sqlServer'
          ]
        }
      }
    ]
  }
}

resource fleetTelemetryDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'diag-fleet-telemetry'
  scope: db
  properties: {
    workspaceId: logAnalyticsId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Basic'
        enabled: true
      }
    ]
  }
}

resource fleetTelemetryDtuAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-fleet-telemetry-dtu-high'
  location: 'global'
  properties: {
    description: 'DTU consumption above 85% on fleet_telemetry for 15 minutes'
    severity: 2
    enabled: true
    scopes: [
      db.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'dtu'
          criterionType: 'StaticThresholdCriterion'
          metricName: 'dtu_consumption_percent'
          operator: 'GreaterThan'
          threshold: 85
          timeAggregation: 'Average'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroupId
      }
    ]
  }
}

output databaseId string = db.id
output secretUri string = connSecret.properties.secretUri
