<#
.SYNOPSIS
    Nightly logical backups of the loyalty domain databases on Azure Database for PostgreSQL.
.DESCRIPTION
    Runs pg_dump (custom format) for every entry in $Databases and uploads the dumps to the
    pg-dumps container of stcontosodbbackups. Scheduled by the "dba-nightly" Azure Automation runbook.
#>
[CmdletBinding()]
param(
    [string]$OutDir = 'D:\pgbackups',
    [string]$StorageAccount = 'stcontosodbbackups',
    [string]$Container = 'pg-dumps',
    [string]$PgDump = 'C:\Program Files\PostgreSQL\16\bin\pg_dump.exe'
)

$ErrorActionPreference = 'Stop'

# Database -> server. loyalty_points is the only database on psql-loyalty-points-prod (retiring).
$Servers = @{
    'loyalty'               = 'psql-loyalty-prod.postgres.database.azure.com'
    'loyalty_points'        = 'psql-loyalty-points-prod.postgres.database.azure.com'
    'loyalty_points_ledger' = 'psql-loyalty-prod.postgres.database.azure.com'
}

$Databases = @('loyalty', 'loyalty_points', 'loyalty_points_ledger')

$stamp = Get-Date -Format 'yyyyMMdd-HHmm'
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null

# Entra ID tokens work on psql-loyalty-prod; the Loyalty Points server still uses its password login.
$aadToken = (Get-AzAccessToken -ResourceUrl 'https://ossrdbms-aad.database.windows.net').Token

foreach ($db in $Databases) {
    $pgHost = $Servers[$db]
    $file = Join-Path $OutDir "$db-$stamp.dump"

    if ($db -eq 'loyalty_points') {
        $env:PGUSER = 'lpadmin'
        $env:PGPASSWORD = Get-AzKeyVaultSecret -VaultName 'kv-contoso-data-prod' -Name 'loyalty-points-pg-password' -AsPlainText
    }
    else {
        $env:PGUSER = 'sg-dba'
        $env:PGPASSWORD = $aadToken
    }

    $cmd = "& `"$PgDump`" --host=$pgHost --port=5432 --dbname=$db --format=custom --no-owner --file=`"$file`""
    Write-Verbose "Running: $cmd"
    Invoke-Expression $cmd
    if ($LASTEXITCODE -ne 0) { throw "pg_dump failed for $db on $pgHost" }

    $ctx = New-AzStorageContext -StorageAccountName $StorageAccount -UseConnectedAccount
    Set-AzStorageBlobContent -File $file -Container $Container -Blob "$db/$(Split-Path $file -Leaf)" -Context $ctx -Force | Out-Null
}

Remove-Item Env:PGPASSWORD -ErrorAction SilentlyContinue
