"""Move tracking events older than 90 days into the history database."""
from datetime import datetime

from airflow import DAG
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

with DAG(
    dag_id="archive_tracking_history",
    start_date=datetime(2024, 1, 1),
    schedule="0 3 * * *",
    catchup=False,
    tags=["archive"],
) as dag:
    copy_old = SQLExecuteQueryOperator(
        task_id="copy_old_events",
        conn_id="shipment_tracking_mysql",
        sql="INSERT INTO shipment_tracking_history.tracking_events SELECT * FROM shipment_tracking.tracking_events WHERE occurred_at < NOW() - INTERVAL 90 DAY",
    )
    purge_old = SQLExecuteQueryOperator(
        task_id="purge_old_events",
        conn_id="shipment_tracking_mysql",
        sql="DELETE FROM tracking_events WHERE occurred_at < NOW() - INTERVAL 90 DAY",
    )
    analyze_history = SQLExecuteQueryOperator(
        task_id="analyze_history",
        conn_id="shipment_tracking_history_mysql",
        sql="ANALYZE TABLE shipment_tracking_history.tracking_events",
    )
    copy_old >> purge_old >> analyze_history
