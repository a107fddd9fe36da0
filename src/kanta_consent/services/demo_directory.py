"""The demo directory: Finland's public organisers, their predecessors, a few
private providers, and the registers, joint area and links between them.

The public organisers and the predecessors that ended on 2022-12-31 are
those of `../shared/data/public-organisers.csv` and
`predecessor-organisers.csv` (real names; business ids where the files have
them), kept here so that a fresh clone runs without the shared folder. The
private providers' names are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kanta_consent.domain.codes import RegisterKind

ENDED = date(2022, 12, 31)
UUSIMAA = "uusimaa"
JOINT_AREA = "uusimaa-health"


@dataclass(frozen=True, slots=True)
class DemoOrganisation:
    """An organisation of the demo directory, as the organisations file has it."""

    id: str
    name: str
    public: bool
    business_id: str = ""
    ended: date | None = None
    area: str = ""
    successor: str = ""


@dataclass(frozen=True, slots=True)
class DemoRegister:
    """A register of the demo directory, as the registers file has it."""

    id: str
    organisation: str
    kind: RegisterKind
    name: str
    kanta_from: date | None = None
    oid: str = ""


# id, name, business id, OID, area: public-organisers.csv.
_PUBLIC = (
    ("ita-uusimaa", "Itä-Uudenmaan hyvinvointialue", "",
     "1.2.246.10.32213393.10.0", UUSIMAA),
    ("keski-uusimaa", "Keski-Uudenmaan hyvinvointialue", "",
     "1.2.246.10.28449694.10.0", UUSIMAA),
    ("lansi-uusimaa", "Länsi-Uudenmaan hyvinvointialue", "",
     "1.2.246.10.32213473.10.0", UUSIMAA),
    ("vantaa-kerava", "Vantaan ja Keravan hyvinvointialue", "",
     "1.2.246.10.32213561.10.0", UUSIMAA),
    ("varsinais-suomi", "Varsinais-Suomen hyvinvointialue", "3221065-1",
     "1.2.246.10.32210651.10.0", ""),
    ("satakunta", "Satakunnan hyvinvointialue", "3221304-3",
     "1.2.246.10.32213043.10.0", ""),
    ("kanta-hame", "Kanta-Hämeen hyvinvointialue", "",
     "1.2.246.10.32213078.10.0", ""),
    ("pirkanmaa", "Pirkanmaan hyvinvointialue", "",
     "1.2.246.10.32213086.10.0", ""),
    ("paijat-hame", "Päijät-Hämeen hyvinvointialue", "",
     "1.2.246.10.32213094.10.0", ""),
    ("kymenlaakso", "Kymenlaakson hyvinvointialue", "",
     "1.2.246.10.7259015.10.0", ""),
    ("etela-karjala", "Etelä-Karjalan hyvinvointialue", "",
     "1.2.246.10.7259373.10.0", ""),
    ("etela-savo", "Etelä-Savon hyvinvointialue", "",
     "1.2.246.10.32213158.10.0", ""),
    ("pohjois-savo", "Pohjois-Savon hyvinvointialue", "",
     "1.2.246.10.32213166.10.0", ""),
    ("pohjois-karjala", "Pohjois-Karjalan hyvinvointialue", "3221317-4",
     "1.2.246.10.32213174.10.0", ""),
    ("keski-suomi", "Keski-Suomen hyvinvointialue", "3221318-2",
     "1.2.246.10.32213182.10.0", ""),
    ("etela-pohjanmaa", "Etelä-Pohjanmaan hyvinvointialue", "",
     "1.2.246.10.32213238.10.0", ""),
    ("pohjanmaa", "Pohjanmaan hyvinvointialue", "",
     "1.2.246.10.3493883.10.0", ""),
    ("keski-pohjanmaa", "Keski-Pohjanmaan hyvinvointialue", "",
     "1.2.246.10.2164623.10.0", ""),
    ("pohjois-pohjanmaa", "Pohjois-Pohjanmaan hyvinvointialue", "3221326-2",
     "1.2.246.10.32213262.10.0", ""),
    ("kainuu", "Kainuun hyvinvointialue", "",
     "1.2.246.10.19056522.10.0", ""),
    ("lappi", "Lapin hyvinvointialue", "",
     "1.2.246.10.32213326.10.0", ""),
    ("helsinki", "Helsingin kaupunki", "0201256-6",
     "1.2.246.10.2012566.10.0", UUSIMAA),
    ("hus", "HUS-yhtymä", "1567535-0", "", UUSIMAA),
)  # fmt: skip

# id, name, business id, successor: predecessor-organisers.csv.
_PREDECESSORS = (
    ("vsshp", "Varsinais-Suomen sairaanhoitopiirin kuntayhtymä", "0828255-9",
     "varsinais-suomi"),
    ("tampere", "Tampereen kaupunki (sosiaali- ja terveyspalvelut)", "0211675-2",
     "pirkanmaa"),
    ("pshp", "Pirkanmaan sairaanhoitopiirin kuntayhtymä", "", "pirkanmaa"),
    ("vantaa", "Vantaan kaupunki (sosiaali- ja terveyspalvelut)", "0124610-9",
     "vantaa-kerava"),
    ("phhyky", "Päijät-Hämeen hyvinvointikuntayhtymä", "0215606-8",
     "paijat-hame"),
    ("ksshp", "Keski-Suomen sairaanhoitopiiri", "0215978-7", "keski-suomi"),
    ("satshp", "Satakunnan sairaanhoitopiiri", "0825915-6", "satakunta"),
    ("khshp", "Kanta-Hämeen sairaanhoitopiiri", "0818235-5", "kanta-hame"),
    ("epshp", "Etelä-Pohjanmaan sairaanhoitopiiri", "0243096-0",
     "etela-pohjanmaa"),
    ("siunsote", "Pohjois-Karjalan sosiaali- ja terveyspalvelujen kuntayhtymä",
     "2732095-2", "pohjois-karjala"),
    ("essote", "Etelä-Savon sosiaali- ja terveyspalvelujen kuntayhtymä",
     "0825508-3", "etela-savo"),
    ("ppshp", "Pohjois-Pohjanmaan sairaanhoitopiiri", "0679480-9",
     "pohjois-pohjanmaa"),
    ("lpshp", "Länsi-Pohjan sairaanhoitopiirin kuntayhtymä", "0828618-9",
     "lappi"),
)  # fmt: skip

# Fictional private providers: id, name, register kinds.
_PRIVATE = (
    ("laakarikeskus-kuusikko", "Lääkärikeskus Kuusikko Oy (fictional)",
     (RegisterKind.PRIVATE_HEALTH, RegisterKind.PRIVATE_OCCUPATIONAL_HEALTH)),
    ("tyoterveys-pihlaja", "Työterveys Pihlaja Oy (fictional)",
     (RegisterKind.PRIVATE_OCCUPATIONAL_HEALTH,)),
    ("hammasasema-kaisla", "Hammasasema Kaisla Oy (fictional)",
     (RegisterKind.PRIVATE_HEALTH,)),
    ("hoivapalvelu-kanerva", "Hoivapalvelu Kanerva Oy (fictional)",
     (RegisterKind.PRIVATE_SOCIAL,)),
    ("perhepalvelut-vaahtera", "Perhepalvelut Vaahtera Oy (fictional)",
     (RegisterKind.PRIVATE_SOCIAL, RegisterKind.PRIVATE_HEALTH)),
)  # fmt: skip

# INF-7: the days social welfare registers began to store in Kanta, from
# 2023-11-30 on; each public organiser takes one in turn.
_SOCIAL_KANTA_FROM = (
    date(2023, 11, 30),
    date(2024, 3, 4),
    date(2024, 6, 3),
    date(2024, 9, 2),
    date(2024, 12, 2),
    date(2025, 3, 3),
)

_SUFFIX = {
    RegisterKind.PUBLIC_HEALTH: ("health", "potilasrekisteri"),
    RegisterKind.PUBLIC_OCCUPATIONAL_HEALTH: (
        "occupational",
        "työterveyshuollon potilasrekisteri",
    ),
    RegisterKind.PUBLIC_SOCIAL: ("social", "sosiaalihuollon asiakasrekisteri"),
    RegisterKind.PRIVATE_HEALTH: ("health", "potilasrekisteri"),
    RegisterKind.PRIVATE_OCCUPATIONAL_HEALTH: (
        "occupational",
        "työterveyshuollon potilasrekisteri",
    ),
    RegisterKind.PRIVATE_SOCIAL: ("social", "sosiaalihuollon asiakasrekisteri"),
}


@dataclass(frozen=True)
class DemoDirectory:
    """The organisations, registers, joint area and links of the demo."""

    organisations: tuple[DemoOrganisation, ...]
    registers: tuple[DemoRegister, ...]
    joint_area: tuple[tuple[str, str], ...]
    purchased: tuple[tuple[str, str], ...]

    @property
    def public(self) -> tuple[DemoOrganisation, ...]:
        """Returns the public organisers in force today."""
        return tuple(o for o in self.organisations if o.public and o.ended is None)

    def predecessors_of(self, organiser: str) -> tuple[str, ...]:
        """Returns the ended organisations whose registers `organiser` took."""
        return tuple(o.id for o in self.organisations if o.successor == organiser)

    def registers_of_kind(self, kind: RegisterKind) -> tuple[DemoRegister, ...]:
        """Returns the registers of one kind."""
        return tuple(r for r in self.registers if r.kind is kind)


def register_id(organisation: str, kind: RegisterKind) -> str:
    """Returns the id of an organisation's register of a kind."""
    return f"{organisation}-{_SUFFIX[kind][0]}"


def build_directory() -> DemoDirectory:
    """Returns the demo directory, the same on every call."""
    organisations = [
        *(DemoOrganisation(i, n, True, b, area=a) for i, n, b, _, a in _PUBLIC),
        *(
            DemoOrganisation(i, n, True, b, ENDED, successor=s)
            for i, n, b, s in _PREDECESSORS
        ),
        *(DemoOrganisation(i, n, False) for i, n, _ in _PRIVATE),
    ]
    registers = [*_public_registers(), *_private_registers()]
    # DIS-8: the public health care registers of Uusimaa form one joint area.
    joint = tuple(
        (JOINT_AREA, register_id(i, RegisterKind.PUBLIC_HEALTH))
        for i, _, _, _, area in _PUBLIC
        if area == UUSIMAA
    )
    return DemoDirectory(tuple(organisations), tuple(registers), joint, _links())


def _public_registers() -> list[DemoRegister]:
    registers = []
    for index, (organiser, name, _, oid, _) in enumerate(_PUBLIC):
        for kind in (
            RegisterKind.PUBLIC_HEALTH,
            RegisterKind.PUBLIC_OCCUPATIONAL_HEALTH,
            RegisterKind.PUBLIC_SOCIAL,
        ):
            social = kind is RegisterKind.PUBLIC_SOCIAL
            kanta_from = _SOCIAL_KANTA_FROM[index % len(_SOCIAL_KANTA_FROM)]
            registers.append(
                DemoRegister(
                    register_id(organiser, kind),
                    organiser,
                    kind,
                    f"{name}: {_SUFFIX[kind][1]}",
                    kanta_from if social else None,
                    oid if kind is RegisterKind.PUBLIC_HEALTH else "",
                )
            )
    return registers


def _private_registers() -> list[DemoRegister]:
    registers = []
    for index, (provider, name, kinds) in enumerate(_PRIVATE):
        for kind in kinds:
            social = kind is RegisterKind.PRIVATE_SOCIAL
            kanta_from = _SOCIAL_KANTA_FROM[(index + 2) % len(_SOCIAL_KANTA_FROM)]
            registers.append(
                DemoRegister(
                    register_id(provider, kind),
                    provider,
                    kind,
                    f"{name}: {_SUFFIX[kind][1]}",
                    kanta_from if social else None,
                )
            )
    return registers


def _links() -> tuple[tuple[str, str], ...]:
    # DIS-2: private providers producing care bought by some public organisers.
    health = RegisterKind.PUBLIC_HEALTH
    social = RegisterKind.PUBLIC_SOCIAL
    return (
        ("laakarikeskus-kuusikko-health", register_id("helsinki", health)),
        ("laakarikeskus-kuusikko-health", register_id("pirkanmaa", health)),
        ("hammasasema-kaisla-health", register_id("varsinais-suomi", health)),
        ("hoivapalvelu-kanerva-social", register_id("helsinki", social)),
        ("hoivapalvelu-kanerva-social", register_id("keski-suomi", social)),
        ("perhepalvelut-vaahtera-social", register_id("vantaa-kerava", social)),
    )
