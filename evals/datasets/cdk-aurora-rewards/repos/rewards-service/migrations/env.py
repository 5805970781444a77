from logging.config import fileConfig

from alembic import context

from rewards.db import LEDGER_ENGINE
from rewards.models import metadata

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        with LEDGER_ENGINE.connect() as connection:
            context.configure(connection=connection, target_metadata=metadata)
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
