"""Imports of CSV files into the store: each row taken whole or reported.

A file has a header row; its columns are those of one kind (docs/imports.md).
Every row is parsed and checked against the store and the rows before it;
a row that fails is reported with its line, field, value and reason, and
the others go on. A text longer than its column holds is one such row:
the store would cut it short or refuse it. Rows are written in batches,
one transaction each, so an import killed halfway leaves whole batches
behind, and running the file again completes it: a row already stored
counts as unchanged. A batch that the store refuses all the same is
written again row by row, and the row it refuses is reported.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, Generic, Protocol, TextIO, TypeVar

import structlog

from kanta_consent.domain.calendar import start_of
from kanta_consent.domain.errors import InvalidIdentityCode
from kanta_consent.domain.identity import HELSINKI, IdentityCode, parse_identity_code
from kanta_consent.services.ports import LogRecord, Store, StoreRefused

# Rows per transaction. Bigger batches cost fewer round trips and commits
# (about a sixth more rows per second on PostgreSQL than 1,000); a killed
# import loses at most one batch's work, which its rerun redoes.
BATCH_SIZE = 5000

T = TypeVar("T")
E = TypeVar("E", bound=Enum)

logger = structlog.get_logger(__name__)


class Outcome(StrEnum):
    """What became of a good row."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class RowError(Exception):
    """A row's field whose value is refused, and why."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = str(value)
        self.reason = reason
        super().__init__(f"{field} {self.value!r}: {reason}")


class ImportFileError(Exception):
    """A file that cannot be imported at all: unknown kind, wrong header."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A row not imported: its line in the file, the field, value and reason."""

    line: int
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field} {self.value!r}: {self.reason}"


@dataclass
class ImportReport:
    """How many rows were read, added, updated, unchanged, and which failed."""

    kind: str
    dry_run: bool = False
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def refused(self) -> int:
        """Returns the number of rows reported and not imported."""
        return len(self.problems)

    def count(self, outcome: Outcome) -> None:
        """Counts one good row."""
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def summary(self) -> str:
        """Returns the one-line summary the operator reads."""
        verb = "would be" if self.dry_run else "were"
        rows = "1 row" if self.rows == 1 else f"{self.rows} rows"
        return (
            f"{self.kind}: {rows}; {self.added} added, "
            f"{self.updated} updated, {self.unchanged} unchanged, "
            f"{self.refused} refused ({verb} written: "
            f"{self.added + self.updated})"
        )


class Row:
    """One CSV row by column name, with the parsers that name the field."""

    __slots__ = ("line", "values")

    def __init__(self, line: int, values: Mapping[str, str]) -> None:
        self.line = line
        self.values = values

    def optional(self, name: str) -> str | None:
        """Returns the stripped text of a column, or None when empty."""
        raw = (self.values.get(name) or "").strip()
        return raw or None

    def text(self, name: str, *, max_length: int | None = None) -> str:
        """Returns a required text column, refused when over `max_length`."""
        raw = self.optional(name)
        if raw is None:
            raise RowError(name, "", "is required")
        if max_length is not None and len(raw) > max_length:
            raise too_long(name, raw, max_length)
        return raw

    def check_sizes(self, sizes: Mapping[str, int]) -> None:
        """Refuses the first column that is longer than its size."""
        for name, size in sizes.items():
            raw = self.optional(name)
            if raw is not None and len(raw) > size:
                raise too_long(name, raw, size)

    def code(self, name: str) -> str:
        """Returns a valid identity code (ID-1), normalised."""
        return self.identity(name).value

    def identity(self, name: str) -> IdentityCode:
        """Returns a valid identity code (ID-1), parsed once."""
        raw = self.text(name, max_length=20)
        try:
            return _parse_code(raw)
        except InvalidIdentityCode as error:
            reason = f"malformed identity code: {error.problem}"
            raise RowError(name, raw, reason) from None

    def day(self, name: str) -> date:
        """Returns a required date in the form YYYY-MM-DD."""
        value = self.optional_day(name)
        if value is None:
            raise RowError(name, "", "is required (YYYY-MM-DD)")
        return value

    def optional_day(self, name: str) -> date | None:
        """Returns a date in the form YYYY-MM-DD, or None when empty."""
        raw = self.optional(name)
        if raw is None:
            return None
        return parse_day(name, raw)

    def moment(self, name: str) -> datetime:
        """Returns a day's first moment in Finnish time, or an exact moment."""
        raw = self.optional(name)
        if raw is None:
            raise RowError(name, "", "is required (YYYY-MM-DD or ISO 8601 moment)")
        if len(raw) == 10:
            return start_of(parse_day(name, raw))
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise RowError(
                name, raw, "is not a date YYYY-MM-DD or an ISO 8601 moment"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=HELSINKI)
        return moment

    def flag(self, name: str, default: bool = False) -> bool:
        """Returns a yes/no column; empty gives the default."""
        raw = self.optional(name)
        if raw is None:
            return default
        value = _FLAGS.get(raw.lower())
        if value is None:
            raise RowError(name, raw, "is not yes or no")
        return value

    def member(self, name: str, enum: type[E]) -> E:
        """Returns a required value of a code list."""
        value = self.optional_member(name, enum)
        if value is None:
            raise RowError(name, "", "is required")
        return value

    def optional_member(self, name: str, enum: type[E]) -> E | None:
        """Returns a value of a code list, or None when empty."""
        raw = self.optional(name)
        if raw is None:
            return None
        try:
            return enum(raw)
        except ValueError:
            known = ", ".join(str(e.value) for e in enum)
            raise RowError(name, raw, f"is not one of {known}") from None


# A person's rows tend to come together (their events, a parent's children),
# so the codes parsed last are kept: one full check (ID-1) for each run of
# rows. A refused code is not kept, and is checked again where it recurs.
_parse_code = functools.lru_cache(maxsize=4096)(parse_identity_code)

_FLAGS = {"yes": True, "no": False, "true": True, "false": False, "1": True, "0": False}


def too_long(name: str, raw: str, size: int) -> RowError:
    """Returns the error of a value longer than its size, told by its length.

    The value itself is left out: it may run to pages, and the log's mask
    finds an identity code only where it stands apart, not run into the
    text around it.
    """
    return RowError(name, f"{len(raw)} characters", f"is longer than {size} characters")


def parse_day(name: str, raw: str) -> date:
    """Parses YYYY-MM-DD strictly, naming the field when it is not one."""
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise RowError(name, raw, "is not a date in the form YYYY-MM-DD") from None


@dataclass(frozen=True, slots=True)
class Parsed(Generic[T]):
    """A row that parsed, with its line."""

    line: int
    item: T


@dataclass(frozen=True, slots=True)
class Settled(Generic[T]):
    """A row that passed every check, and what writing it does."""

    line: int
    item: T
    outcome: Outcome


class Kind(Protocol[T]):
    """One kind of file: its columns, how a row parses, checks and is written."""

    @property
    def name(self) -> str:
        """Returns the kind's name, as the command line takes it."""
        ...

    @property
    def required(self) -> tuple[str, ...]:
        """Returns the columns every file of the kind has."""
        ...

    @property
    def optional(self) -> tuple[str, ...]:
        """Returns the columns a file of the kind may have."""
        ...

    @property
    def sizes(self) -> Mapping[str, int]:
        """Returns the most characters each column stored as written may hold.

        They are the store's column sizes (domain/sizes.py), checked before
        a row is parsed. A column parsed into a value of its own (a date, an
        identity code, a code list's member) needs none.
        """
        ...

    def parse(self, row: Row) -> T:
        """Parses a row, raising `RowError` naming the field."""
        ...

    def key(self, item: T) -> Hashable:
        """Returns what makes the row unique within a file."""
        ...

    def settle(
        self, store: Store, batch: Sequence[Parsed[T]]
    ) -> list[Settled[T] | Problem]:
        """Checks a batch against the store, one answer per row in order."""
        ...

    def write(self, store: Store, items: Sequence[T]) -> Sequence[LogRecord]:
        """Writes the rows that change the store; returns their log entries.

        `StoreRefused` passes through: the batch is then written again row by
        row, each settled anew.
        """
        ...


Progress = Callable[[int], None]


def read_csv(handle: TextIO, name: str) -> tuple[list[str], Iterator[Row]]:
    """Reads an open CSV file's header; returns it and the rows with their lines."""
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        raise ImportFileError(f"{name}: the file is empty; a header row is needed")
    names = [h.strip() for h in header]

    def rows() -> Iterator[Row]:
        for record in reader:
            if not any(v.strip() for v in record):
                continue
            yield _row(reader.line_num, names, record)

    return names, rows()


def _row(line: int, names: list[str], record: list[str]) -> Row:
    if len(record) != len(names):
        # A row of the wrong width is reported by the engine as a whole.
        return Row(line, {_WIDTH: f"{len(record)}"})
    return Row(line, dict(zip(names, record, strict=True)))


_WIDTH = "\x00width"


def check_header(kind: Kind[Any], header: Sequence[str]) -> None:
    """Refuses a header that lacks a required column or has an unknown one."""
    known = set(kind.required) | set(kind.optional)
    missing = [c for c in kind.required if c not in header]
    unknown = [c for c in header if c not in known]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or duplicated:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        if duplicated:
            parts.append(f"repeated column(s) {', '.join(duplicated)}")
        columns = ", ".join([*kind.required, *kind.optional])
        raise ImportFileError(f"{kind.name}: {'; '.join(parts)} (columns: {columns})")


def import_rows(
    store: Store,
    kind: Kind[T],
    header: Sequence[str],
    rows: Iterable[Row],
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> ImportReport:
    """Imports rows of one kind in batches, each batch in one transaction."""
    check_header(kind, header)
    report = ImportReport(kind.name, dry_run)
    seen: dict[Hashable, int] = {}
    batch: list[Parsed[T]] = []
    for row in rows:
        report.rows += 1
        parsed = _parse(kind, row, seen, report)
        if parsed is not None:
            batch.append(parsed)
        if len(batch) >= batch_size:
            _run_batch(store, kind, batch, report, dry_run)
            batch = []
            if progress is not None:
                progress(report.rows)
    _run_batch(store, kind, batch, report, dry_run)
    if progress is not None:
        progress(report.rows)
    report.problems.sort(key=lambda p: p.line)
    # Counts only: the problems name identity codes, which stay out of logs.
    logger.info(
        "import_finished",
        kind=kind.name,
        dry_run=dry_run,
        rows=report.rows,
        added=report.added,
        updated=report.updated,
        unchanged=report.unchanged,
        refused=report.refused,
    )
    return report


def _parse(
    kind: Kind[T], row: Row, seen: dict[Hashable, int], report: ImportReport
) -> Parsed[T] | None:
    if _WIDTH in row.values:
        width = row.values[_WIDTH]
        report.problems.append(
            Problem(row.line, "row", f"{width} fields", "the header has another count")
        )
        return None
    try:
        row.check_sizes(kind.sizes)
        item = kind.parse(row)
    except RowError as error:
        report.problems.append(
            Problem(row.line, error.field, error.value, error.reason)
        )
        return None
    key = kind.key(item)
    first = seen.get(key)
    if first is not None:
        report.problems.append(
            Problem(
                row.line, "row", _shown(key), f"duplicate of line {first} in this file"
            )
        )
        return None
    seen[key] = row.line
    return Parsed(row.line, item)


def _shown(key: Hashable) -> str:
    return "|".join(str(k) for k in key) if isinstance(key, tuple) else str(key)


def _run_batch(
    store: Store,
    kind: Kind[T],
    batch: Sequence[Parsed[T]],
    report: ImportReport,
    dry_run: bool,
) -> None:
    if not batch:
        return
    try:
        answers = _settle_and_write(store, kind, batch, dry_run)
    except StoreRefused:
        # The batch's transaction stored none of it. Each row is tried again
        # in one of its own, so that every row the store holds is taken and
        # the one it refuses is reported with its line.
        for parsed in batch:
            _run_row(store, kind, parsed, report, dry_run)
        return
    _tally(report, answers)


def _run_row(
    store: Store, kind: Kind[T], parsed: Parsed[T], report: ImportReport, dry_run: bool
) -> None:
    try:
        answers = _settle_and_write(store, kind, [parsed], dry_run)
    except StoreRefused as error:
        shown = _shown(kind.key(parsed.item))
        reason = f"the store refused it: {error.reason}"
        answers = [Problem(parsed.line, "row", shown, reason)]
    _tally(report, answers)


def _settle_and_write(
    store: Store, kind: Kind[T], batch: Sequence[Parsed[T]], dry_run: bool
) -> list[Settled[T] | Problem]:
    with store.transaction():
        answers = kind.settle(store, batch)
        changed = [
            answer.item
            for answer in answers
            if isinstance(answer, Settled) and answer.outcome is not Outcome.UNCHANGED
        ]
        if changed and not dry_run:
            records = kind.write(store, changed)
            if records:
                store.append_log(records)
    return answers


def _tally(report: ImportReport, answers: Sequence[Settled[Any] | Problem]) -> None:
    for answer in answers:
        if isinstance(answer, Problem):
            report.problems.append(answer)
        else:
            report.count(answer.outcome)


def import_file(
    store: Store,
    kind_name: str,
    path: Path,
    now: datetime,
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> ImportReport:
    """Imports one CSV file of the named kind (docs/imports.md)."""
    from kanta_consent.services.import_kinds import make_kind

    kind = make_kind(kind_name, now)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header, rows = read_csv(handle, str(path))
            return import_rows(
                store,
                kind,
                header,
                rows,
                dry_run=dry_run,
                batch_size=batch_size,
                progress=progress,
            )
    except UnicodeDecodeError:
        # The batches before the bad bytes stay written; a rerun of the
        # mended file finds them unchanged.
        raise ImportFileError(f"{path}: is not UTF-8 text") from None
    except csv.Error as error:
        raise ImportFileError(f"{path}: is not CSV: {error}") from None


def count_rows(path: Path) -> int:
    """Counts a file's lines after the header, for a progress bar's total."""
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)
