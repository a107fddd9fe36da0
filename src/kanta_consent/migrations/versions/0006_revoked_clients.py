"""The moment an API client was revoked, so that an operator can withdraw a
care system's or operator's credentials and the API refuses them (issue #3).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("api_clients", sa.Column("revoked", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("api_clients") as table:
        table.drop_column("revoked")
