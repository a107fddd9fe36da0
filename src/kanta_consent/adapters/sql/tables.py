"""The schema: one typed model per table, shared by SQLite and PostgreSQL.

Choices and log entries are append-only (LOG-3): rows are inserted, never
updated or deleted, and the state at a moment is folded from them (DIS-11).
Every index here serves one lookup of a decision or a view: choices by
person, events by id and by person, guardianships by guardian or child,
mandates by holder or principal, log entries by subject.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kanta_consent.domain import sizes

# The sizes come from the domain, where what takes a text in checks them.
CODE = String(11)
ID = String(sizes.ID)
CHOICE_ID = String(sizes.CHOICE_ID)
NAME = String(sizes.NAME)

# Explicit constraint names let one migration history name, and later alter,
# the same constraints on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite's INTEGER PRIMARY KEY is its rowid; BIGINT would not autoincrement.
SEQ = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware moment, stored in UTC: timestamptz on PostgreSQL.

    SQLite keeps no zone, so the moment is stored as naive UTC and given its
    zone back when read; a naive moment is refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"moment {value.isoformat()} has no time zone")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """The declarative base whose metadata Alembic compares with the migrations."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        date: Date(),
    }


class PersonRow(Base):
    """A person by identity code, with name and safety ban (REP-1)."""

    __tablename__ = "persons"

    code: Mapped[str] = mapped_column(CODE, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, default="")
    safety_ban: Mapped[bool] = mapped_column(Boolean, default=False)


class GuardianshipRow(Base):
    """Custody of a minor (REP-1); `blocked` is the care-order block."""

    __tablename__ = "guardianships"
    __table_args__ = (
        Index(None, "guardian", "child"),
        Index(None, "child"),
    )

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    guardian: Mapped[str] = mapped_column(CODE, ForeignKey("persons.code"))
    child: Mapped[str] = mapped_column(CODE, ForeignKey("persons.code"))
    starts: Mapped[date]
    until: Mapped[date | None]
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)


class MandateRow(Base):
    """A mandate for managing matters related to health care (REP-2)."""

    __tablename__ = "mandates"
    __table_args__ = (
        Index(None, "holder", "principal"),
        Index(None, "principal"),
    )

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    holder: Mapped[str] = mapped_column(CODE, ForeignKey("persons.code"))
    principal: Mapped[str] = mapped_column(CODE, ForeignKey("persons.code"))
    starts: Mapped[date]
    until: Mapped[date | None]
    revoked: Mapped[date | None]


class OrganisationRow(Base):
    """A service provider; `ended` is its last day (PRO-8)."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    public: Mapped[bool] = mapped_column(Boolean)
    ended: Mapped[date | None]
    name: Mapped[str] = mapped_column(NAME, default="")
    business_id: Mapped[str | None] = mapped_column(String(sizes.BUSINESS_ID))


class RegisterRow(Base):
    """A controller's register; `kanta_from` as in INF-7."""

    __tablename__ = "registers"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    organisation: Mapped[str] = mapped_column(ID, ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(40))
    kanta_from: Mapped[date | None]
    name: Mapped[str] = mapped_column(NAME, default="")
    oid: Mapped[str | None] = mapped_column(String(sizes.OID))


class JointAreaMemberRow(Base):
    """One register's membership of a joint area (DIS-8)."""

    __tablename__ = "joint_area_members"

    area: Mapped[str] = mapped_column(ID, primary_key=True)
    register: Mapped[str] = mapped_column(
        ID, ForeignKey("registers.id"), primary_key=True
    )


class PurchasedServiceRow(Base):
    """A producer that gives care for a register as a purchased service (DIS-2)."""

    __tablename__ = "purchased_services"

    producer: Mapped[str] = mapped_column(ID, primary_key=True)
    for_register: Mapped[str] = mapped_column(
        ID, ForeignKey("registers.id"), primary_key=True
    )


class ServiceEventRow(Base):
    """A service event's metadata (INF-7, REP-7, PRO-8)."""

    __tablename__ = "service_events"
    __table_args__ = (Index(None, "person"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person: Mapped[str] = mapped_column(CODE, ForeignKey("persons.code"))
    register: Mapped[str] = mapped_column(ID, ForeignKey("registers.id"))
    recorded: Mapped[date]
    kanta: Mapped[bool] = mapped_column(Boolean, default=True)
    capacity: Mapped[str | None] = mapped_column(String(1))
    task: Mapped[str | None] = mapped_column(String(40))
    recorded_by: Mapped[str | None] = mapped_column(ID)


CHOICE_TYPES = (
    "acknowledgement",
    "permission-granted",
    "permission-withdrawn",
    "prohibition-given",
    "prohibition-withdrawn",
)


class ChoiceRow(Base):
    """Every choice class in one append-only table, told apart by `type`.

    The columns after `origin` belong to some classes only and are null for
    the others; `seq` keeps the order of recording for choices of one moment.
    """

    __tablename__ = "choices"
    __table_args__ = (
        Index(None, "person", "seq"),
        CheckConstraint(
            "type IN ({})".format(", ".join(f"'{t}'" for t in CHOICE_TYPES)),
            name="type",
        ),
    )

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(CHOICE_ID, unique=True)
    type: Mapped[str] = mapped_column(String(24))
    person: Mapped[str] = mapped_column(CODE, ForeignKey("persons.code"))
    at: Mapped[datetime]
    actor_role: Mapped[str] = mapped_column(String(20))
    actor_person: Mapped[str | None] = mapped_column(CODE)
    actor_unit: Mapped[str | None] = mapped_column(ID)
    channel: Mapped[str] = mapped_column(String(10))
    origin: Mapped[str] = mapped_column(String(10))
    version: Mapped[str | None] = mapped_column(String(20))
    while_minor: Mapped[bool | None] = mapped_column(Boolean)
    scope: Mapped[str | None] = mapped_column(String(20))
    by_minor_in_care: Mapped[bool | None] = mapped_column(Boolean)
    permission: Mapped[str | None] = mapped_column(CHOICE_ID)
    target_kind: Mapped[str | None] = mapped_column(String(40))
    target_ref: Mapped[str | None] = mapped_column(ID)
    sectors: Mapped[str | None] = mapped_column(String(60))
    emergency_allowed: Mapped[bool | None] = mapped_column(Boolean)
    prohibition: Mapped[str | None] = mapped_column(CHOICE_ID)


class CalendarSettingRow(Base):
    """A setting's base value, before any change (CAL-1)."""

    __tablename__ = "calendar_settings"

    setting: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[date]


class SettingChangeRow(Base):
    """A change of a setting, in force for moments from `effective_from` (CAL-1)."""

    __tablename__ = "setting_changes"

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    setting: Mapped[str] = mapped_column(String(60))
    value: Mapped[date]
    effective_from: Mapped[datetime]


class NoticeVersionRow(Base):
    """A version of the notice, current from a day (INF-1)."""

    __tablename__ = "notice_versions"

    version: Mapped[str] = mapped_column(String(20), primary_key=True)
    current_from: Mapped[date]
    known_from: Mapped[datetime | None]


class NoticeTextRow(Base):
    """A notice version's text in one language."""

    __tablename__ = "notice_texts"
    __table_args__ = (CheckConstraint("language IN ('fi', 'sv', 'en')", "language"),)

    version: Mapped[str] = mapped_column(
        String(20), ForeignKey("notice_versions.version"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class LogEntryRow(Base):
    """One entry of the hash-chained log (LOG-1); `subject` is an identity code."""

    __tablename__ = "log_entries"
    __table_args__ = (Index(None, "subject", "seq"),)

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(CODE)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    previous: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ApiClientRow(Base):
    """A care system or operator calling the API; only its secret's hash is kept."""

    __tablename__ = "api_clients"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    register: Mapped[str] = mapped_column(ID)
    secret_hash: Mapped[str] = mapped_column(String(64))
    operator: Mapped[bool] = mapped_column(Boolean)
    created: Mapped[datetime]
    revoked: Mapped[datetime | None]


class PortalVisitRow(Base):
    """A person's entry to the portal; the one before tells what is new (DIS-9)."""

    __tablename__ = "portal_visits"
    __table_args__ = (Index(None, "person", "at"),)

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    person: Mapped[str] = mapped_column(CODE, ForeignKey("persons.code"))
    at: Mapped[datetime]


class EndedSessionRow(Base):
    """A portal session ended by logging out: its cookie opens nothing more."""

    __tablename__ = "ended_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime]


metadata = Base.metadata
