"""The numbered element ids of docs/portal.md count as the pages do."""

from __future__ import annotations

import re
from pathlib import Path

from portal_world import PortalWorld, submit

DOC = Path(__file__).resolve().parents[2] / "docs" / "portal.md"


def _counted_from(name: str) -> int:
    """Returns the first number docs/portal.md gives the ids `name-N`."""
    doc = " ".join(DOC.read_text().split())
    found = re.search(rf"`{name}-N`[^`]*?counted from (\d+)", doc)
    assert found, f"docs/portal.md does not say where {name}-N is counted from"
    return int(found.group(1))


def test_the_test_logins_person_radios_count_as_the_doc_says(
    portal: PortalWorld,
) -> None:
    page = portal.browser().get("/portal/login")

    numbers = [
        int(n) for n in re.findall(r'type="radio"[^>]* id="person-(\d+)"', page.text)
    ]
    start = _counted_from("person")
    assert numbers == list(range(start, start + len(portal.people.identities())))


def test_the_act_for_buttons_count_as_the_doc_says_oneself_first(
    portal: PortalWorld,
) -> None:
    browser = portal.browser()
    page = portal.login(browser, portal.people.parent)
    if page.url.path == "/portal/notice":
        submit(browser, page, "/portal/notice/acknowledge")

    page = browser.get("/portal/act-for")

    buttons = re.findall(r'id="act-for-(\d+)" data-role="(\w+)"', page.text)
    start = _counted_from("act-for")
    assert [int(n) for n, _ in buttons] == list(range(start, start + 3))
    assert buttons[0][1] == "self"
