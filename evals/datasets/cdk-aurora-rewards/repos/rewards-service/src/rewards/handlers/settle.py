"""Step Functions task: settle pending point accruals into the ledger."""
import logging

from sqlalchemy import text

from rewards.db import LEDGER_ENGINE

log = logging.getLogger(__name__)

SETTLE_SQL = text(
    """
    INSERT INTO ledger_entries (member_id, points, source)
    SELECT member_id, points, source FROM pending_accruals WHERE batch_id = :batch_id
    """
)


def handler(event, context):
    batch_id = event["batchId"]
    with LEDGER_ENGINE.begin() as conn:
        result = conn.execute(SETTLE_SQL, {"batch_id": batch_id})
        conn.execute(text("DELETE FROM pending_accruals WHERE batch_id = :b"), {"b": batch_id})
    log.info("settled %s accruals into rewards_ledger", result.rowcount)
    return {"batchId": batch_id, "settled": result.rowcount}
