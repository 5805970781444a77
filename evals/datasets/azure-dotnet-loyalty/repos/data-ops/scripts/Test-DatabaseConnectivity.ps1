#Requires -Version 7.0
<#
.SYNOPSIS
    Probe one of the loyalty domain databases with psql: server version and current connection count.
.EXAMPLE
    ./Test-DatabaseConnectivity.ps1 -Target LoyaltyPoints
#>
param(
    [ValidateSet('Loyalty', 'LoyaltyPoints', 'LoyaltyPointsLedger')]
    [string]$Target = 'Loyalty'
)

$targets = @{
    Loyalty             = @{ Host = 'psql-loyalty-prod.postgres.database.azure.com'; Db = 'loyalty' }
    LoyaltyPoints       = @{ Host = $env:LOYALTY_POINTS_DB_HOST ?? 'psql-loyalty-points-prod.postgres.database.azure.com'; Db = 'loyalty_points' }
    LoyaltyPointsLedger = @{ Host = 'psql-loyalty-prod.postgres.database.azure.com'; Db = 'loyalty_points_ledger' }
}

$t = $targets[$Target]
if ($Target -eq 'LoyaltyPoints') {
    $user = $env:LOYALTY_POINTS_DB_USER
}
else {
    $user = 'sg-dba'
    $env:PGPASSWORD = (Get-AzAccessToken -ResourceUrl 'https://ossrdbms-aad.database.windows.net').Token
}

$conn = "host=$($t.Host) port=5432 dbname=$($t.Db) user=$user sslmode=require connect_timeout=5"
Invoke-Expression "psql `"$conn`" -X -A -t -c 'select version(), (select count(*) from pg_stat_activity)'"
