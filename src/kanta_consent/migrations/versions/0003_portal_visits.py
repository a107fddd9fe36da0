"""Portal visits, so the front page can tell of emergency disclosures since the
last one (DIS-9).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portal_visits",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("person", sa.String(length=11), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person"], ["persons.code"], name=op.f("fk_portal_visits_person_persons")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_portal_visits")),
    )
    op.create_index(
        op.f("ix_portal_visits_person_at"),
        "portal_visits",
        ["person", "at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_portal_visits_person_at"), table_name="portal_visits")
    op.drop_table("portal_visits")
