@echo off
REM Monthly finance export - run from the finance laptop (Windows 11).
REM Needs the VPN: order-history-db.internal is only reachable from the office network.
setlocal

if "%EXPORTER_PASSWORD%"=="" (
  echo Set EXPORTER_PASSWORD first ^(1Password: "Finance exporter"^).
  exit /b 1
)

set ORDER_HISTORY_DSN=postgres://exporter:%EXPORTER_PASSWORD%@order-history-db.internal:5432/order_history?sslmode=require

for /f %%m in ('powershell -NoProfile -Command "(Get-Date).AddMonths(-1).ToString('yyyy-MM')"') do set MONTH=%%m

"%~dp0exporter.exe" --month %MONTH% --out "%USERPROFILE%\Documents\closed_orders_%MONTH%.csv"
if errorlevel 1 (
  echo Export failed: check ORDER_HISTORY_DSN and the VPN connection.
  exit /b 1
)

echo Done: %USERPROFILE%\Documents\closed_orders_%MONTH%.csv
endlocal
