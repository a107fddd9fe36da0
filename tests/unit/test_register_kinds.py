"""Which sector's data a register of each kind can hold (DOMAIN.md section 8)."""

from __future__ import annotations

from kanta_consent.domain.codes import RegisterKind, Sector


def held(sector: Sector) -> set[RegisterKind]:
    return {kind for kind in RegisterKind if kind.holds(sector)}


SOCIAL = {RegisterKind.PUBLIC_SOCIAL, RegisterKind.PRIVATE_SOCIAL}


def test_health_and_prescription_data_live_in_health_care_registers() -> None:
    health_care = set(RegisterKind) - SOCIAL

    assert (held(Sector.HEALTH), held(Sector.PRESCRIPTION)) == (
        health_care,
        health_care,
    )


def test_social_data_lives_in_social_welfare_registers() -> None:
    assert held(Sector.SOCIAL) == SOCIAL


def test_wellbeing_data_lives_in_no_register() -> None:
    assert held(Sector.WELLBEING) == set()
