"""Hourly copy of new tracking events from the Shipment Tracking DB into the warehouse."""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.python import PythonOperator
from airflow.providers.mysql.hooks.mysql import MySqlHook
from airflow.providers.amazon.aws.hooks.s3 import S3Hook

default_args = {"owner": "data-platform", "retries": 2, "retry_delay": timedelta(minutes=5)}


def extract_events(data_interval_start, data_interval_end, **_):
    hook = MySqlHook(mysql_conn_id="shipment_tracking_mysql")
    df = hook.get_pandas_df(
        "SELECT * FROM tracking_events WHERE occurred_at >= %s AND occurred_at < %s",
        parameters=(data_interval_start, data_interval_end),
    )
    key = f"raw/tracking_events/{data_interval_start:%Y/%m/%d/%H}.parquet"
    S3Hook(aws_conn_id="aws_default").load_bytes(df.to_parquet(), key=key, bucket_name="acme-lake-raw", replace=True)


def extract_orders(data_interval_start, data_interval_end, **_):
    hook = MySqlHook(mysql_conn_id="shipments_mysql")
    df = hook.get_pandas_df(
        "SELECT * FROM shipments.orders WHERE updated_at >= %s AND updated_at < %s",
        parameters=(data_interval_start, data_interval_end),
    )
    key = f"raw/orders/{data_interval_start:%Y/%m/%d/%H}.parquet"
    S3Hook(aws_conn_id="aws_default").load_bytes(df.to_parquet(), key=key, bucket_name="acme-lake-raw", replace=True)


with DAG(
    dag_id="shipment_tracking_sync",
    start_date=datetime(2024, 1, 1),
    schedule="@hourly",
    catchup=False,
    default_args=default_args,
    tags=["logistics", "mysql"],
) as dag:
    PythonOperator(task_id="extract_tracking_events", python_callable=extract_events)
    PythonOperator(task_id="extract_orders", python_callable=extract_orders)
