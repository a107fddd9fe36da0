"""Keep an organisation's business id and a register's OID, which imports
checked but had nowhere to store; CDS Hooks callers may name a register by
its OID (CDS-HOOKS.md).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("organisations", sa.Column("business_id", sa.String(9)))
    op.add_column("registers", sa.Column("oid", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("registers") as table:
        table.drop_column("oid")
    with op.batch_alter_table("organisations") as table:
        table.drop_column("business_id")
