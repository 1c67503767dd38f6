"""Country names: short display names and a curated alias table checked against pycountry.

No fuzzy matching: a name resolves only through an exact (case- and accent-insensitive) match
with an ISO code, a pycountry name, or an alias below. "Republic of Korea" is South Korea;
"Democratic People's Republic of Korea" is North Korea.
"""

from __future__ import annotations

from functools import cache

import pycountry

from .primitives import normalise_name as normalise

# Project codes for areas without ISO 3166 codes (see data/boundaries/SOURCE.md).
PROJECT_CODES: dict[str, str] = {
    "XKX": "Kosovo",
    "XNC": "Northern Cyprus",
    "XSL": "Somaliland",
    "XIO": "Indian Ocean Territories",
    "XSG": "Siachen Glacier",
    "XAC": "Ashmore and Cartier Islands",
}
# Short names where pycountry's official-style name reads badly on a map.
DISPLAY_NAMES: dict[str, str] = {
    "BOL": "Bolivia",
    "BRN": "Brunei",
    "COD": "DR Congo",
    "COG": "Republic of the Congo",
    "CIV": "Côte d'Ivoire",
    "CZE": "Czechia",
    "FSM": "Micronesia",
    "GBR": "United Kingdom",
    "IRN": "Iran",
    "KOR": "South Korea",
    "PRK": "North Korea",
    "LAO": "Laos",
    "MDA": "Moldova",
    "PSE": "Palestine",
    "RUS": "Russia",
    "SYR": "Syria",
    "TWN": "Taiwan",
    "TZA": "Tanzania",
    "USA": "United States",
    "VEN": "Venezuela",
    "VNM": "Vietnam",
    "VAT": "Vatican City",
    "TUR": "Türkiye",
    "MKD": "North Macedonia",
    "SWZ": "Eswatini",
    "CPV": "Cabo Verde",
    "BHS": "Bahamas",
    "GMB": "Gambia",
    "FLK": "Falkland Islands",
    "MAC": "Macao",
    "HKG": "Hong Kong",
    "STP": "São Tomé and Príncipe",
    "KNA": "Saint Kitts and Nevis",
}
# Extra names (normalised on lookup) -> ISO3. Each was checked against pycountry's records.
ALIASES: dict[str, str] = {
    "south korea": "KOR",
    "korea, south": "KOR",
    "republic of korea": "KOR",
    "korea republic": "KOR",
    "korea (republic of)": "KOR",
    "korea, rep.": "KOR",
    "korea": "KOR",
    "north korea": "PRK",
    "korea, north": "PRK",
    "dprk": "PRK",
    "korea, dem. people's rep.": "PRK",
    "democratic people's republic of korea": "PRK",
    "russia": "RUS",
    "iran": "IRN",
    "syria": "SYR",
    "laos": "LAO",
    "lao pdr": "LAO",
    "vietnam": "VNM",
    "viet nam": "VNM",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "moldova": "MDA",
    "brunei": "BRN",
    "taiwan": "TWN",
    "palestine": "PSE",
    "united states": "USA",
    "united states of america": "USA",
    "us": "USA",
    "usa": "USA",
    "uk": "GBR",
    "united kingdom": "GBR",
    "great britain": "GBR",
    "britain": "GBR",
    "england": "GBR",
    "uae": "ARE",
    "emirates": "ARE",
    "drc": "COD",
    "dr congo": "COD",
    "democratic republic of the congo": "COD",
    "democratic republic of congo": "COD",
    "congo, dem. rep.": "COD",
    "congo (kinshasa)": "COD",
    "congo-kinshasa": "COD",
    "dem. rep. congo": "COD",
    "central african rep.": "CAF",
    "republic of the congo": "COG",
    "republic of congo": "COG",
    "congo, rep.": "COG",
    "congo (brazzaville)": "COG",
    "congo-brazzaville": "COG",
    "congo": "COG",
    "ivory coast": "CIV",
    "cote d'ivoire": "CIV",
    "turkey": "TUR",
    "turkiye": "TUR",
    "czech republic": "CZE",
    "macedonia": "MKD",
    "swaziland": "SWZ",
    "cape verde": "CPV",
    "burma": "MMR",
    "east timor": "TLS",
    "the gambia": "GMB",
    "the bahamas": "BHS",
    "kyrgyz republic": "KGZ",
    "slovak republic": "SVK",
    "micronesia": "FSM",
    "egypt, arab rep.": "EGY",
    "yemen, rep.": "YEM",
    "iran, islamic rep.": "IRN",
    "kosovo": "XKX",
    "somaliland": "XSL",
    "northern cyprus": "XNC",
    "n. cyprus": "XNC",
    "vatican": "VAT",
    "holy see": "VAT",
    "sao tome and principe": "STP",
    "st. lucia": "LCA",
    "st. vincent and the grenadines": "VCT",
    "st. kitts and nevis": "KNA",
    "hong kong": "HKG",
    "macau": "MAC",
    "macao": "MAC",
}


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index[normalise(value)] = country.alpha_3
        index[normalise(country.alpha_3)] = country.alpha_3
        index[normalise(country.alpha_2)] = country.alpha_3
    for code, name in PROJECT_CODES.items():
        index[normalise(code)] = code
        index[normalise(name)] = code
    for code, name in DISPLAY_NAMES.items():
        index[normalise(name)] = code
    index.update({normalise(k): v for k, v in ALIASES.items()})
    return index


def to_iso3(name: str) -> str | None:
    """ISO3 for a country name or code, or None when it is not known exactly."""
    if name is None:
        return None
    return _index().get(normalise(name))


@cache
def display_name(iso3: str) -> str:
    if iso3 in DISPLAY_NAMES:
        return DISPLAY_NAMES[iso3]
    if iso3 in PROJECT_CODES:
        return PROJECT_CODES[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    return getattr(country, "common_name", None) or country.name
