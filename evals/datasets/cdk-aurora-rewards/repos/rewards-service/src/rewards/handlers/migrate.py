"""Runs alembic upgrade against rewards_ledger; invoked by the settle state machine."""
import os

from alembic import command
from alembic.config import Config

from rewards.db import LEDGER_ENGINE

ALEMBIC_INI = os.path.join(os.path.dirname(__file__), "..", "..", "..", "alembic.ini")


def handler(event, context):
    target = event.get("target", "head")
    cfg = Config(ALEMBIC_INI)
    with LEDGER_ENGINE.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    return {"database": event.get("database", "rewards_ledger"), "target": target}
