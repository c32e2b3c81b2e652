"""A synthetic catalog of any size, with text shaped like the real one."""

import random
from datetime import date

from sites.models import Site, Source, Theme
from sites.validation import SERBIA_BOUNDS

_SYLLABLES = [
    "bel",
    "gra",
    "no",
    "vi",
    "sad",
    "ni",
    "kra",
    "gu",
    "je",
    "vac",
    "pan",
    "če",
    "vo",
    "ša",
    "bac",
    "zre",
    "nja",
    "nin",
    "su",
    "bo",
    "ti",
    "ca",
    "le",
    "sko",
    "u",
    "ži",
    "ce",
    "va",
    "lje",
    "đa",
    "ko",
]
_WORDS = [
    "museum",
    "memorial",
    "church",
    "fortress",
    "house",
    "monument",
    "bridge",
    "library",
    "airfield",
    "village",
    "square",
    "park",
    "gallery",
    "theatre",
    "stadium",
    "hall",
    "mill",
    "tower",
    "school",
]
_STORY = [
    "American airmen were sheltered here in 1944 before the airlift.",
    "Pupin sent money from New York to build this for the village.",
    "Tesla spoke here on his only visit to the city in 1892.",
    "An American Red Cross unit worked here during the typhus epidemic of 1915.",
    "A Hollywood production filmed scenes on this street.",
    "The first jazz festival brought American musicians to this hall.",
]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def synthetic_sites(count: int, themes: list[Theme], seed: int = 1944) -> list[Site]:
    """``count`` plausible sites spread over Serbia, reproducible from ``seed``."""
    rng = random.Random(seed)
    south, west, north, east = SERBIA_BOUNDS
    towns = [_name(rng) for _ in range(max(10, count // 40))]
    sites = []
    for n in range(count):
        town = rng.choice(towns)
        name = f"{_name(rng)} {rng.choice(_WORDS)}"
        sites.append(
            Site(
                id=f"site-{n:06d}",
                name=f"{name} {town}",
                name_sr_latn=name,
                name_sr_cyrl="",
                lat=round(rng.uniform(south + 0.4, north - 0.4), 6),
                lon=round(rng.uniform(west + 0.4, east - 0.4), 6),
                town=town,
                region=f"{rng.choice(towns)} District",
                themes=(rng.choice(themes).id,),
                summary=f"The {rng.choice(_WORDS)} of {town}, {rng.choice(_STORY).lower()}",
                us_connection=" ".join(rng.sample(_STORY, 2)),
                description=" ".join(rng.sample(_STORY, 4)),
                opening_hours=rng.choice([None, "Tu-Su 10:00-18:00; PH off", "Mo-Fr 09:00-17:00"]),
                visit_minutes=rng.choice([30, 45, 60, 90, 120]),
                wheelchair=rng.choice([None, "yes", "limited", "no"]),
                sources=(Source(f"https://example.org/site/{n}", "synthetic"),),
                last_verified=date(2026, 11, 1),
            )
        )
    return sites
