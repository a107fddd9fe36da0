"""structlog, configured once per entry point: JSON or console, codes masked.

Every event passes `mask_identity_codes`, which replaces anything shaped
like a Finnish identity code (DDMMYY, a century sign, three digits and a
check character, ID-1) with asterisks, in every string of the event, at
any depth. The log never holds a code, even one that slipped into a message,
nor a control character a caller sent (a NUL, an escape): those are written
as escapes.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

# The sign may also come percent-encoded (%2D for "-", %2B for "+"), as in a
# query string.
IDENTITY_CODE = re.compile(
    r"(?<![0-9A-Za-z])\d{6}(?:[-+ABCDEFUVWXY]|%2[DB])\d{3}[0-9A-Y](?![0-9A-Za-z])",
    re.IGNORECASE,
)
MASK = "***********"


# Control characters but tab and line ends, which a caller can put in a
# path (%00, %1b): written raw, a NUL made the log a binary file to grep and
# an escape sequence could rewrite what a terminal shows of it.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _escaped(found: re.Match[str]) -> str:
    return f"\\x{ord(found.group()):02x}"


def mask_text(text: str) -> str:
    """Returns the text with every identity-code-shaped part masked, and its
    control characters (but tab and line ends) written as escapes."""
    return _CONTROL.sub(_escaped, IDENTITY_CODE.sub(MASK, text))


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {_mask(k): _mask(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_mask(v) for v in value]
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return mask_text(repr(value))


def mask_identity_codes(
    logger: Any, method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Masks identity codes in every field of the event (no code in logs)."""
    return {key: _mask(value) for key, value in event.items()}


def configure_logging(
    log_format: str = "console", stream: TextIO | None = None
) -> None:
    """Configures structlog and the standard library's root logger once."""
    output = stream or sys.stderr
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            mask_identity_codes,
            renderer,
        ],
        logger_factory=structlog.PrintLoggerFactory(output),
        cache_logger_on_first_use=False,
    )
    # Libraries that log through the standard library (uvicorn, SQLAlchemy)
    # are rendered the same way, through the same mask.
    handler = logging.StreamHandler(output)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            # A library's error (uvicorn's "Exception in ASGI application")
            # comes with its traceback: made text here, it passes the mask;
            # left to the renderer, the console drew it with every local
            # variable's value, request bodies and their codes included.
            foreign_pre_chain=[
                structlog.stdlib.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                structlog.processors.format_exc_info,
            ],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                mask_identity_codes,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.INFO)
