<#
.SYNOPSIS
    Rotates the read-write application password of the Payroll Ledger database.

.DESCRIPTION
    Generates a new password, sets it on the database login with ALTER ROLE, then writes it
    to Secrets Manager as the new AWSCURRENT version. payroll-ledger-service only re-reads the
    secret when its tasks restart, so run this right before a deploy.

    Do NOT point this at payroll-ledger-archive: the archive uses RDS-managed rotation.

.EXAMPLE
    ./scripts/rotate-creds.ps1 -WhatIf

.EXAMPLE
    ./scripts/rotate-creds.ps1 -DbInstanceIdentifier payroll-ledger-prod -Confirm:$false
#>
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
param(
    [string] $SecretId             = 'prod/payroll-ledger/app-credentials',
    [string] $DbInstanceIdentifier = 'payroll-ledger-prod',
    [string] $DbUser               = 'payroll_ledger_rw',
    [string] $Region               = 'us-east-1'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

Import-Module AWS.Tools.SecretsManager, AWS.Tools.RDS

$instance = Get-RDSDBInstance -DBInstanceIdentifier $DbInstanceIdentifier -Region $Region
$endpoint = $instance.Endpoint.Address

# The current secret holds the old password, which we need to log in and change it.
$payrollLedgerSecret = Get-SECSecretValue -SecretId $SecretId -Region $Region
$current = $payrollLedgerSecret.SecretString | ConvertFrom-Json

$bytes = New-Object byte[] 30
[System.Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)
$newPassword = [Convert]::ToBase64String($bytes) -replace '[+/=]', 'x'

if ($PSCmdlet.ShouldProcess("$DbUser on $endpoint", 'ALTER ROLE ... PASSWORD')) {
    $env:PGPASSWORD = $current.password
    $sql = "ALTER ROLE $DbUser WITH PASSWORD '$newPassword';"
    & psql "host=$endpoint port=5432 dbname=payroll_ledger user=$DbUser sslmode=require" -v ON_ERROR_STOP=1 -c $sql
    if ($LASTEXITCODE -ne 0) {
        throw "psql exited with $LASTEXITCODE; the secret was NOT updated."
    }
    Remove-Item Env:PGPASSWORD

    $current.password = $newPassword
    Write-SECSecretValue -SecretId $SecretId -SecretString ($current | ConvertTo-Json -Compress) -Region $Region | Out-Null
    Write-Host "Rotated $DbUser on $DbInstanceIdentifier; the new secret version is AWSCURRENT."
    Write-Host 'Now redeploy the service so its tasks pick up the new password.'
}
