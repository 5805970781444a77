"""Nightly rebuild of MARKETING_ATTRIBUTION (touchpoints -> channel ROI)."""
from datetime import datetime

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.providers.snowflake.operators.snowflake import SnowflakeOperator

with DAG(
    dag_id="attribution_daily",
    start_date=datetime(2023, 1, 1),
    schedule="0 4 * * *",
    catchup=False,
    tags=["marketing", "attribution"],
) as dag:
    load_touchpoints = SnowflakeOperator(
        task_id="load_touchpoints",
        snowflake_conn_id="snowflake_attribution",
        warehouse="ATTRIBUTION_WH",
        database="MARKETING_ATTRIBUTION",
        sql="COPY INTO RAW.TOUCHPOINTS FROM @RAW.ADS_STAGE FILE_FORMAT = (TYPE = PARQUET)",
    )

    refresh_orders = SnowflakeOperator(
        task_id="refresh_orders_snapshot",
        snowflake_conn_id="snowflake_default",
        sql="ALTER DYNAMIC TABLE RETAIL_CORE.SALES.ORDERS_DAILY REFRESH",
    )

    dbt_build = BashOperator(
        task_id="dbt_build",
        bash_command="dbt build --select marketing_attribution --target marketing_attribution",
    )

    [load_touchpoints, refresh_orders] >> dbt_build
