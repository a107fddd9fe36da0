"""The hash chain of the append-only log (LOG-1).

Each entry's hash covers its whole content and the hash of the entry before
it, so that a changed value, a removed entry or a reordering is found by
walking the chain once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


# One encoder for every call: json.dumps with options makes a new one each time.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def canonical(value: Any) -> str:
    """Returns the one JSON text of a value that every store hashes alike."""
    return _CANONICAL.encode(value)


def moment_text(moment: datetime) -> str:
    """Returns a moment in UTC with microseconds, as every database keeps it."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(
    seq: int,
    at: str,
    kind: str,
    subject: str | None,
    body: Mapping[str, Any],
    previous: str,
) -> str:
    """Returns the hash of one entry, chained to the previous one's."""
    content = canonical(
        {
            "seq": seq,
            "at": at,
            "kind": kind,
            "subject": subject,
            "body": body,
            "previous": previous,
        }
    )
    return hashlib.sha256(content.encode()).hexdigest()


def body_text(body: Mapping[str, Any]) -> str:
    """Returns the canonical JSON of a body as it reads back from a store.

    A body's keys that are not text become text in JSON and may then sort
    differently, so such a body is read back once before it is written out.
    """
    text = canonical(body)
    plain = not isinstance(body, dict) or _has_text_keys(body)
    return text if plain else canonical(json.loads(text))


def chained_hash(
    seq: int, at: str, kind: str, subject: str | None, body: str, previous: str
) -> str:
    """Returns `entry_hash` of an entry whose body is already its canonical JSON.

    The entry's JSON is assembled around the body's text, in the order of
    `canonical`'s sorted keys, so a body is encoded once to be both stored
    and hashed.
    """
    content = (
        f'{{"at":{json.dumps(at)},"body":{body},"kind":{json.dumps(kind)},'
        f'"previous":{json.dumps(previous)},"seq":{int(seq)},'
        f'"subject":{json.dumps(subject)}}}'
    )
    return hashlib.sha256(content.encode()).hexdigest()


def _has_text_keys(value: dict[Any, Any] | list[Any] | tuple[Any, ...]) -> bool:
    # Only dicts, lists and tuples are JSON containers; any other value,
    # another kind of mapping too, is written as one scalar (default=str).
    # Every log entry's body passes here: the keys are checked in one pass
    # before the values, not one isinstance of the container per item.
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                return False
        items: Iterable[Any] = value.values()
    else:
        items = value
    for item in items:
        if isinstance(item, _CONTAINERS) and not _has_text_keys(item):
            return False
    return True


_CONTAINERS = (dict, list, tuple)


@dataclass(frozen=True, slots=True)
class ChainProblem:
    """The first entry whose hash or place in the chain is wrong."""

    seq: int
    problem: str


def verify_chain(
    entries: Iterable[Mapping[str, Any]],
) -> tuple[int, ChainProblem | None]:
    """Walks the chain; returns how many entries verified and the first problem."""
    previous, expected_seq, count = GENESIS, 1, 0
    for entry in entries:
        seq = int(entry["seq"])
        if seq != expected_seq:
            return count, ChainProblem(expected_seq, f"missing; next entry is {seq}")
        if entry["previous"] != previous:
            return count, ChainProblem(seq, "does not follow the entry before it")
        recomputed = entry_hash(
            seq, entry["at"], entry["kind"], entry["subject"], entry["body"], previous
        )
        if recomputed != entry["hash"]:
            return count, ChainProblem(seq, "its content does not match its hash")
        previous, expected_seq, count = entry["hash"], seq + 1, count + 1
    return count, None
