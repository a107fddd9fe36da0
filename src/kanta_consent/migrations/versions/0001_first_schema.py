"""The first schema: people, directory, choices, calendar, log; default calendar.

The calendar's defaults (DOMAIN.md section 9) and the notice versions of
INF-1 are written here as they stood when this revision was made, so that
a later change of the defaults in code never rewrites an existing database.

Revision ID: 0001
Revises:
Create Date: 2026-12-04 05:13:40.097221
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

SETTINGS = {
    "reform": "2021-11-01",
    "permission-health": "2021-11-01",
    "permission-social": "2023-01-01",
    "permission-social-to-health": "2024-01-01",
    "permission-health-to-social": "2024-01-01",
    "permission-wellbeing": "2024-01-01",
    "outside-kanta-grant": "2023-11-30",
    "outside-kanta-coverage": "2024-01-01",
    "social-prohibitions": "2023-01-01",
    "private-occupational-register-prohibition": "2024-01-01",
    "all-health-prohibition": "2024-01-01",
    "all-social-prohibition": "2024-01-01",
}

NOTICE_VERSIONS = {
    "2021-11": "2021-11-01",
    "2022-11": "2022-11-01",
    "2023-11": "2023-11-30",
}

_TEXT = {
    "fi": (
        "Kanta-palveluihin tallennetaan terveydenhuollon tietojasi. Voit antaa "
        "luvan tietojesi luovuttamiseen tai kieltää sen."
    ),
    "sv": (
        "I Kanta-tjänsterna sparas dina uppgifter från hälso- och sjukvården. "
        "Du kan ge tillstånd till att dina uppgifter lämnas ut eller förbjuda det."
    ),
    "en": (
        "Your health care data is stored in the Kanta services. You can give a "
        "permission to disclose your data, or prohibit its disclosure."
    ),
}

# INF-7: from version 2023-11 on, the notice tells that social welfare data
# is shown too.
_SOCIAL = {
    "fi": " Myös sosiaalihuollon tietosi näytetään OmaKannassa.",
    "sv": " Även dina uppgifter från socialvården visas i MittKanta.",
    "en": " Your social welfare data is shown in My Kanta too.",
}

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_settings",
        sa.Column("setting", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("setting", name=op.f("pk_calendar_settings")),
    )
    op.create_table(
        "log_entries",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=11), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("previous", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_log_entries")),
    )
    op.create_index(
        op.f("ix_log_entries_subject_seq"),
        "log_entries",
        ["subject", "seq"],
        unique=False,
    )

    op.create_table(
        "notice_versions",
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("current_from", sa.Date(), nullable=False),
        sa.Column(
            "known_from",
            sa.DateTime(timezone=True),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_notice_versions")),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("ended", sa.Date(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    op.create_table(
        "persons",
        sa.Column("code", sa.String(length=11), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("safety_ban", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_persons")),
    )
    op.create_table(
        "setting_changes",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("setting", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Date(), nullable=False),
        sa.Column(
            "effective_from",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_setting_changes")),
    )
    op.create_table(
        "choices",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=24), nullable=False),
        sa.Column("person", sa.String(length=11), nullable=False),
        sa.Column(
            "at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("actor_person", sa.String(length=11), nullable=True),
        sa.Column("actor_unit", sa.String(length=100), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=True),
        sa.Column("while_minor", sa.Boolean(), nullable=True),
        sa.Column("scope", sa.String(length=20), nullable=True),
        sa.Column("by_minor_in_care", sa.Boolean(), nullable=True),
        sa.Column("permission", sa.String(length=64), nullable=True),
        sa.Column("target_kind", sa.String(length=40), nullable=True),
        sa.Column("target_ref", sa.String(length=100), nullable=True),
        sa.Column("sectors", sa.String(length=60), nullable=True),
        sa.Column("emergency_allowed", sa.Boolean(), nullable=True),
        sa.Column("prohibition", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "type IN ('acknowledgement', 'permission-granted', "
            "'permission-withdrawn', 'prohibition-given', 'prohibition-withdrawn')",
            name=op.f("ck_choices_type"),
        ),
        sa.ForeignKeyConstraint(
            ["person"], ["persons.code"], name=op.f("fk_choices_person_persons")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_choices")),
        sa.UniqueConstraint("id", name=op.f("uq_choices_id")),
    )
    op.create_index(
        op.f("ix_choices_person_seq"), "choices", ["person", "seq"], unique=False
    )

    op.create_table(
        "guardianships",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("guardian", sa.String(length=11), nullable=False),
        sa.Column("child", sa.String(length=11), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child"], ["persons.code"], name=op.f("fk_guardianships_child_persons")
        ),
        sa.ForeignKeyConstraint(
            ["guardian"],
            ["persons.code"],
            name=op.f("fk_guardianships_guardian_persons"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_guardianships")),
    )
    op.create_index(
        op.f("ix_guardianships_child"), "guardianships", ["child"], unique=False
    )
    op.create_index(
        op.f("ix_guardianships_guardian_child"),
        "guardianships",
        ["guardian", "child"],
        unique=False,
    )

    op.create_table(
        "mandates",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("holder", sa.String(length=11), nullable=False),
        sa.Column("principal", sa.String(length=11), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("revoked", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["holder"], ["persons.code"], name=op.f("fk_mandates_holder_persons")
        ),
        sa.ForeignKeyConstraint(
            ["principal"], ["persons.code"], name=op.f("fk_mandates_principal_persons")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_mandates")),
    )
    op.create_index(
        op.f("ix_mandates_holder_principal"),
        "mandates",
        ["holder", "principal"],
        unique=False,
    )
    op.create_index(
        op.f("ix_mandates_principal"), "mandates", ["principal"], unique=False
    )

    op.create_table(
        "notice_texts",
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "language IN ('fi', 'sv', 'en')", name=op.f("ck_notice_texts_language")
        ),
        sa.ForeignKeyConstraint(
            ["version"],
            ["notice_versions.version"],
            name=op.f("fk_notice_texts_version_notice_versions"),
        ),
        sa.PrimaryKeyConstraint("version", "language", name=op.f("pk_notice_texts")),
    )
    op.create_table(
        "registers",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("kanta_from", sa.Date(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation"],
            ["organisations.id"],
            name=op.f("fk_registers_organisation_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registers")),
    )
    op.create_table(
        "joint_area_members",
        sa.Column("area", sa.String(length=100), nullable=False),
        sa.Column("register", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["register"],
            ["registers.id"],
            name=op.f("fk_joint_area_members_register_registers"),
        ),
        sa.PrimaryKeyConstraint("area", "register", name=op.f("pk_joint_area_members")),
    )
    op.create_table(
        "purchased_services",
        sa.Column("producer", sa.String(length=100), nullable=False),
        sa.Column("for_register", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["for_register"],
            ["registers.id"],
            name=op.f("fk_purchased_services_for_register_registers"),
        ),
        sa.PrimaryKeyConstraint(
            "producer", "for_register", name=op.f("pk_purchased_services")
        ),
    )
    op.create_table(
        "service_events",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("person", sa.String(length=11), nullable=False),
        sa.Column("register", sa.String(length=100), nullable=False),
        sa.Column("recorded", sa.Date(), nullable=False),
        sa.Column("kanta", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.String(length=1), nullable=True),
        sa.Column("task", sa.String(length=40), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["person"], ["persons.code"], name=op.f("fk_service_events_person_persons")
        ),
        sa.ForeignKeyConstraint(
            ["register"],
            ["registers.id"],
            name=op.f("fk_service_events_register_registers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_events")),
    )
    op.create_index(
        op.f("ix_service_events_person"), "service_events", ["person"], unique=False
    )
    _seed_calendar()


def _seed_calendar() -> None:
    settings = sa.table("calendar_settings", sa.column("setting"), sa.column("value"))
    op.bulk_insert(
        settings,
        [{"setting": k, "value": date.fromisoformat(v)} for k, v in SETTINGS.items()],
    )
    versions = sa.table(
        "notice_versions", sa.column("version"), sa.column("current_from")
    )
    op.bulk_insert(
        versions,
        [
            {"version": k, "current_from": date.fromisoformat(v)}
            for k, v in NOTICE_VERSIONS.items()
        ],
    )
    texts = sa.table(
        "notice_texts", sa.column("version"), sa.column("language"), sa.column("text")
    )
    op.bulk_insert(
        texts,
        [
            {
                "version": version,
                "language": language,
                "text": text + (_SOCIAL[language] if version >= "2023-11" else ""),
            }
            for version in NOTICE_VERSIONS
            for language, text in _TEXT.items()
        ],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_service_events_person"), table_name="service_events")

    op.drop_table("service_events")
    op.drop_table("purchased_services")
    op.drop_table("joint_area_members")
    op.drop_table("registers")
    op.drop_table("notice_texts")
    op.drop_index(op.f("ix_mandates_principal"), table_name="mandates")
    op.drop_index(op.f("ix_mandates_holder_principal"), table_name="mandates")

    op.drop_table("mandates")
    op.drop_index(op.f("ix_guardianships_guardian_child"), table_name="guardianships")
    op.drop_index(op.f("ix_guardianships_child"), table_name="guardianships")

    op.drop_table("guardianships")
    op.drop_index(op.f("ix_choices_person_seq"), table_name="choices")

    op.drop_table("choices")
    op.drop_table("setting_changes")
    op.drop_table("persons")
    op.drop_table("organisations")
    op.drop_table("notice_versions")
    op.drop_index(op.f("ix_log_entries_subject_seq"), table_name="log_entries")

    op.drop_table("log_entries")
    op.drop_table("calendar_settings")
