"""Daily carrier SLA report: late deliveries per carrier."""
from datetime import datetime
from pathlib import Path

from airflow.decorators import dag, task
from airflow.providers.mysql.hooks.mysql import MySqlHook

conn_id = "shipment_tracking_mysql"
ORDERS_CONN_ID = "shipments_mysql"

SQL_DIR = Path(__file__).parent.parent / "include" / "sql"


@dag(start_date=datetime(2024, 1, 1), schedule="0 6 * * *", catchup=False, tags=["sla"])
def carrier_sla_report():
    @task
    def late_deliveries():
        hook = MySqlHook(mysql_conn_id=conn_id)
        return hook.get_records((SQL_DIR / "late_shipments.sql").read_text())

    @task
    def promised_dates():
        hook = MySqlHook(mysql_conn_id=ORDERS_CONN_ID)
        return hook.get_records("SELECT order_id, promised_delivery_date FROM orders")

    @task
    def publish(late, promised):
        print(f"{len(late)} late scans vs {len(promised)} promised orders")

    publish(late_deliveries(), promised_dates())


carrier_sla_report()
