"""HTTP API: the member points statement shown in the mobile app."""
import os

from sqlalchemy import text

from rewards.db import LEDGER_ENGINE

SCREEN_TITLE = "Your Rewards Ledger"
SCREEN_SUBTITLE = "Every point you earn or spend shows up in your rewards ledger."
HELP_URL = "https://rewardsledger.example.com/help/statements"
EXPORT_BUCKET = os.environ.get("EXPORT_BUCKET", "fintech-rewards-ledger-exports")


def handler(event, context):
    member_id = event["pathParameters"]["memberId"]
    with LEDGER_ENGINE.connect() as conn:
        rows = conn.execute(
            text("SELECT created_at, points, source FROM ledger_entries WHERE member_id = :m ORDER BY created_at DESC LIMIT 50"),
            {"m": member_id},
        ).all()
    return {
        "title": SCREEN_TITLE,
        "subtitle": SCREEN_SUBTITLE,
        "helpUrl": HELP_URL,
        "entries": [{"at": r.created_at.isoformat(), "points": r.points, "source": r.source} for r in rows],
    }
