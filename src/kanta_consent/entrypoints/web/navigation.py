"""The portal's navigation: one list, in one place, that every page shows.

A new page adds one `NavItem` to `NAV`; `shown` decides from the page's
`whom` (see pages._whom) whether the viewer gets the link, so a link to
something the viewer may not see is never drawn (REP-4: no log for a
guardian).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kanta_consent.entrypoints.web.i18n import mark as N_

Whom = Mapping[str, Any]


def _always(whom: Whom) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class NavItem:
    """A link of the navigation: its path, its label and who is shown it."""

    path: str
    label: str
    shown: Callable[[Whom], bool] = _always


NAV: list[NavItem] = [
    NavItem("/portal/home", N_("Front page")),
    NavItem("/portal/management", N_("Management of the use of data")),
    NavItem("/portal/events", N_("Service events")),
    NavItem("/portal/my-data", N_("My data")),
    # REP-4: a guardian does not see a child's disclosure log.
    NavItem("/portal/log", N_("Disclosure log"), lambda whom: not whom["guardian"]),
    NavItem("/portal/act-for", N_("Whom to act for"), lambda whom: whom["several"]),
]


def items(whom: Whom | None) -> list[NavItem]:
    """Returns the links shown to a viewer; none before the gates are passed."""
    if whom is None:
        return []
    return [item for item in NAV if item.shown(whom)]
