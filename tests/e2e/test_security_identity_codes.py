"""No identity code in any portal address or in the server's log (ID-1, ID-3).

A bounded crawl follows every link, form action and redirect of each demo
person's pages, as themselves and for each person they may act for, and
looks for anything shaped like an identity code in every address; the
server's log of the whole visit, malformed codes typed at the test login
included, must hold none of the codes used.
"""

from __future__ import annotations

import io
import re
from urllib.parse import unquote, urljoin, urlsplit

import httpx
from portal_world import PortalWorld, hidden_fields, submit

from kanta_consent.adapters.logging import configure_logging

# Any code shape, also with the century sign '+' percent-encoded.
CODE_SHAPED = re.compile(r"\d{6}(?:[-+ABCDEFUVWXY]|%2B)\d{3}[0-9A-Y]", re.I)
LINKS = re.compile(r'(?:href|action)="([^"]+)"')
START = ["/portal/", "/portal/home", "/portal/management", "/portal/events",
         "/portal/log", "/portal/my-data"]  # fmt: skip
PAGES_PER_PERSON = 25
# Malformed, unknown and not-a-test codes, each typed at the test login.
TYPED = ["010101-9999", "010101-999X", "311299Y900X", "170580-901P"]


def _addresses(response: httpx.Response) -> list[str]:
    found = [str(r.url) for r in [*response.history, response]]
    found += [r.headers.get("location", "") for r in response.history]
    return found


def _crawl(browser: httpx.Client) -> list[str]:
    seen: list[str] = []
    todo = list(START)
    while todo and len(seen) < PAGES_PER_PERSON:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.append(path)
        page = browser.get(path)
        seen += _addresses(page)
        for link in LINKS.findall(page.text):
            seen.append(link)
            parts = urlsplit(urljoin(str(page.url), link.replace("&amp;", "&")))
            if parts.path.startswith("/portal/") and "logout" not in parts.path:
                todo.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def _visit_as(portal: PortalWorld, code: str) -> list[str]:
    browser = portal.browser()
    page = portal.login(browser, code)
    visited = _addresses(page)
    if page.url.path == "/portal/notice":
        visited += _addresses(submit(browser, page, "/portal/notice/acknowledge"))
    choices = browser.get("/portal/act-for")
    for index in range(choices.text.count('action="/portal/act-for"')):
        listing = browser.get("/portal/act-for")
        fields = hidden_fields(listing.text, "/portal/act-for", index)
        picked = browser.post("/portal/act-for", data=fields)
        visited += _addresses(picked)
        if picked.url.path == "/portal/notice":
            visited += _addresses(submit(browser, picked, "/portal/notice/acknowledge"))
        visited += _crawl(browser)
    return visited


def test_id_1_no_address_of_any_page_or_redirect_holds_an_identity_code(
    portal: PortalWorld,
) -> None:
    people = portal.people
    visitors = [people.adult_with_permission, people.parent, people.mandate_holder,
                people.child_12, people.adult]  # fmt: skip

    visited = [address for code in visitors for address in _visit_as(portal, code)]

    assert len(visited) > 100
    assert [a for a in visited if CODE_SHAPED.search(unquote(a))] == []


def test_id_1_no_code_used_or_typed_at_the_login_reaches_the_servers_log(
    portal: PortalWorld,
) -> None:
    log = io.StringIO()
    configure_logging("console", stream=log)
    people = portal.people
    used = [people.parent, people.mandate_holder, *TYPED]

    for code in [people.parent, people.mandate_holder]:
        _visit_as(portal, code)
    for code in TYPED:
        typed = portal.login(portal.browser(), code)
        assert code not in " ".join(_addresses(typed))

    output = log.getvalue()
    assert "http_request" in output
    assert [code for code in used if code in output] == []
