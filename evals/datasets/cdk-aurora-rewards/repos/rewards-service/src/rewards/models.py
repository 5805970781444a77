import sqlalchemy as sa

metadata = sa.MetaData()

ledger_entries = sa.Table(
    "ledger_entries",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("member_id", sa.String(36), nullable=False, index=True),
    sa.Column("points", sa.Integer, nullable=False),
    sa.Column("source", sa.String(32), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
)

pending_accruals = sa.Table(
    "pending_accruals",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("member_id", sa.String(36), nullable=False),
    sa.Column("points", sa.Integer, nullable=False),
    sa.Column("source", sa.String(32), nullable=False),
    sa.Column("batch_id", sa.String(36), nullable=False, index=True),
)
