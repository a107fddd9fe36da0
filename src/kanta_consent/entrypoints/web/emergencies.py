"""The front page's notice of emergency disclosures since the last visit (DIS-9).

The first page of a session records the person's visit, so that the next
session can tell what happened in between; the notice stays the same for
the whole visit.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Request

from kanta_consent.domain.errors import Refused
from kanta_consent.entrypoints.web.session import session
from kanta_consent.entrypoints.web.viewer import Viewer
from kanta_consent.services.my_data import EmergencyDisclosure, MyDataService

# The session key of the moment the present visit began.
VISIT = "visit"


def emergency_notice(request: Request, viewer: Viewer) -> list[EmergencyDisclosure]:
    """Returns the emergency disclosures since the person's last visit.

    It is shown on one's own front page only, and never to a guardian
    (REP-4: a guardian does not see a child's log).
    """
    data = session(request)
    service = MyDataService(viewer.consent.store, viewer.consent)
    if VISIT not in data:
        service.record_visit(viewer.actor, viewer.moment)
        data[VISIT] = viewer.moment.isoformat()
    if not viewer.for_self:
        return []
    visit = datetime.fromisoformat(str(data[VISIT]))
    try:
        return service.emergencies_since_last_visit(
            viewer.actor, viewer.principal, visit, viewer.moment
        )
    except Refused:
        return []
