from sqlalchemy import text

from rewards.handlers import settle


def test_settle_moves_pending_accruals(rewards_ledger_db):
    with rewards_ledger_db.begin() as conn:
        conn.execute(
            text("INSERT INTO pending_accruals (member_id, points, source, batch_id) VALUES ('m1', 120, 'card', 'b1')")
        )
    assert settle.handler({"batchId": "b1"}, None) == {"batchId": "b1", "settled": 1}
