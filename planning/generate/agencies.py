"""Generated agencies (sở, other bodies, quận/huyện, xã/phường) and their people."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from agencies.models import Agency, Membership

from .dataset import BATCH_SIZE, CODE_PREFIX
from .vocabulary import COMMUNE_PLACES, DEPARTMENTS, DISTRICT_PLACES, OTHER_BODIES


def make_agencies(
    rng: random.Random, n: int, progress: Callable[[str], None]
) -> tuple[list[Agency], User, dict[int, User]]:
    """Agencies of every kind (communes under their district), then their people:
    the agencies, the coordinator, and each agency's officer by agency id."""
    taken_names = set(Agency.objects.values_list("name", flat=True))
    n_other = min(len(OTHER_BODIES), max(1, round(n * 0.01)))
    n_dept = min(len(DEPARTMENTS), max(1, round(n * 0.06)))
    n_district = max(1, round(n * 0.05))
    n_commune = max(1, n - n_other - n_dept - n_district)
    if n < 4:
        raise ValueError("at least 4 agencies: one of every kind")

    def named(code: str, name: str) -> str:
        name = name if name not in taken_names else f"{name} ({code})"
        taken_names.add(name)
        return name

    rows: list[Agency] = []
    # Departments have a director's address for escalations; other bodies none.
    for table, kind, leader in (
        (DEPARTMENTS[:n_dept], Agency.Kind.DEPARTMENT, "giamdoc.{}@cchc.example"),
        (OTHER_BODIES[:n_other], Agency.Kind.OTHER, ""),
    ):
        for code, name, short in table:
            code = CODE_PREFIX + code
            rows.append(
                Agency(
                    code=code,
                    name=named(code, name),
                    short_name=short,
                    kind=kind,
                    emails=f"{code.lower()}@cchc.example",
                    leader_email=leader.format(code.lower()),
                )
            )
    places = DISTRICT_PLACES[:]
    rng.shuffle(places)
    districts: list[Agency] = []
    for i in range(n_district):
        place = places[i] if i < len(places) else str(i + 1)
        word = rng.choices(["quận", "huyện", "thị xã", "thành phố"], [35, 50, 10, 5])[0]
        code = f"{CODE_PREFIX}H{i + 1:03d}"
        districts.append(
            Agency(
                code=code,
                name=named(code, f"UBND {word} {place}"),
                short_name=f"{word.capitalize()} {place}",
                kind=Agency.Kind.DISTRICT,
                emails=f"{code.lower()}@cchc.example",
                leader_email=f"chutich.{code.lower()}@cchc.example",
            )
        )
    rows.extend(districts)
    Agency.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    communes: list[Agency] = []
    used: set[tuple[str, int]] = set()
    for i in range(n_commune):
        parent_index = i % len(districts)
        parent = districts[parent_index]
        word = (
            "phường"
            if parent.name.startswith("UBND quận")
            else rng.choice(["xã", "xã", "thị trấn", "phường"])
        )
        place = rng.choice(COMMUNE_PLACES)
        if (place, parent_index) in used:
            place = str(i + 1)  # "Phường 12, Quận 3" is a real style too
        used.add((place, parent_index))
        code = f"{CODE_PREFIX}X{i + 1:04d}"
        district_words = parent.name.removeprefix("UBND ")
        communes.append(
            Agency(
                code=code,
                name=named(code, f"UBND {word} {place}, {district_words}"),
                short_name=f"{word.capitalize()} {place}",
                kind=Agency.Kind.COMMUNE,
                parent=parent,
                emails=f"{code.lower()}@cchc.example",
            )
        )
    Agency.objects.bulk_create(communes, batch_size=BATCH_SIZE)
    coordinator, officer_of = _make_people(rows + communes)
    progress(f"{len(rows) + len(communes)} cơ quan, {len(rows) + len(communes) + 1} người dùng")
    return rows + communes, coordinator, officer_of


def _make_people(agencies: list[Agency]) -> tuple[User, dict[int, User]]:
    """A coordinator at Sở Nội vụ and one focal officer per agency (no usable password:
    benchmarks log them in with sessions), who sign the history's events."""
    unusable = make_password(None)
    coordinator = User(
        username="g.dieuphoi",
        first_name="Điều phối (dữ liệu sinh)",
        email="g.dieuphoi@cchc.example",
        password=unusable,
    )
    officers = [
        User(
            username=f"{a.code.lower()}.canbo",
            first_name=f"Cán bộ {a.display_name}",
            email=f"canbo.{a.code.lower()}@cchc.example",
            password=unusable,
        )
        for a in agencies
    ]
    User.objects.bulk_create([coordinator, *officers], batch_size=BATCH_SIZE)
    Membership.objects.bulk_create(
        [Membership(user=coordinator, agency=agencies[0], role=Membership.Role.COORDINATOR)]
        + [
            Membership(user=u, agency=a, role=Membership.Role.OFFICER)
            for u, a in zip(officers, agencies, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    return coordinator, {a.pk: u for a, u in zip(agencies, officers, strict=True)}
