"""The log's hash of an entry whose body is encoded once (LOG-1)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kanta_consent.services.log import (
    GENESIS,
    body_text,
    canonical,
    chained_hash,
    entry_hash,
)

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
# Keys of one kind per mapping: JSON cannot sort text among numbers at all.
NUMBERS = st.integers() | st.booleans()
BODIES = st.dictionaries(
    st.text(),
    st.recursive(
        SCALARS,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(), inner, max_size=3)
            | st.dictionaries(NUMBERS, inner, max_size=3)
        ),
        max_leaves=8,
    ),
    max_size=6,
)


def _read_back(body: dict[str, Any]) -> dict[str, Any]:
    # What a store reads back: the body after one trip through JSON.
    loaded: dict[str, Any] = json.loads(canonical(body))
    return loaded


@given(
    body=BODIES,
    seq=st.integers(min_value=1, max_value=10**12),
    kind=st.text(),
    subject=st.none() | st.text(),
)
def test_log_1_a_body_encoded_once_hashes_as_the_entry_read_back(
    body: dict[str, Any], seq: int, kind: str, subject: str | None
) -> None:
    at = "2025-01-02T03:04:05.000006+00:00"

    fast = chained_hash(seq, at, kind, subject, body_text(body), GENESIS)

    assert fast == entry_hash(seq, at, kind, subject, _read_back(body), GENESIS)


def test_log_1_keys_that_sort_differently_as_text_are_sorted_as_read_back() -> None:
    body = {"n": {9: "a", 10: "b"}}

    text = body_text(body)

    assert text == '{"n":{"10":"b","9":"a"}}'
    assert text == canonical(_read_back(body))
