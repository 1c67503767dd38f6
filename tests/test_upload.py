"""Bring your own data and the AidData importer: valid rows load, bad rows are named, bad files refused."""

from __future__ import annotations

import io

import openpyxl
import pytest

from dsr_map.countries import to_iso3
from dsr_map.upload import MAX_BYTES, UploadError, parse_upload

from .conftest import make_dataset

MINIMAL = """country,vendor,category,city,latitude,longitude,year,name,source_url
Kenya,Huawei,Surveillance,Nairobi,-1.28,36.82,2015,Cameras,https://example.org/a
Republic of Serbia,Hikvision,surveillance; big data,,,,2020,Belgrade cams,
Narnia,ZTE,Surveillance,,,,,x,
SRB,Acme Wires,Teleportation,,,,,y,
Ecuador,CEIEC,Integrated Platforms,,95,10,1989,z,javascript:alert(1)
Kenya,,Fintech,,,,,w,
Kenya,Huawei,Fintech,,44.8,20.4,,wrong place,
"""


@pytest.fixture
def dataset():
    return make_dataset()


def test_minimal_layout_keeps_valid_rows_and_names_bad_ones(dataset) -> None:
    """Valid rows become projects; each invalid row is reported with row number and column."""
    result = parse_upload("mine.csv", MINIMAL.encode(), dataset)
    assert result.rows_read == 7
    assert list(result.projects["name"]) == ["Cameras", "Belgrade cams"]
    assert list(result.projects["country_iso3"]) == ["KEN", "SRB"]
    assert result.projects.iloc[0]["vendors"] == ("Huawei Technologies",)  # alias -> canonical name
    assert result.projects.iloc[1]["categories"] == ("Surveillance", "Big Data")
    assert set(result.projects["origin"]) == {"Your upload"}
    found = {(p.row, p.column) for p in result.problems}
    assert ("row 4", "country") in found
    assert ("row 5", "category") in found
    assert {("row 6", "latitude"), ("row 6", "year"), ("row 6", "source_url")} <= found
    assert ("row 7", "vendor") in found
    assert ("row 8", "latitude") in found  # a point in Serbia for Kenya


def test_unknown_vendor_is_kept_as_free_text(dataset) -> None:
    """A vendor not in vendors.csv is kept as written."""
    text = "country,vendor,category\nKenya,Shenzhen Newco,Energy\n"
    result = parse_upload("x.csv", text.encode(), dataset)
    assert result.projects.iloc[0]["vendors"] == ("Shenzhen Newco",)


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("empty.csv", b"", "empty"),
        ("bin.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("latin.csv", "country,vendor,category\nCôte,Huawei,Energy\n".encode("latin-1"), "not UTF-8"),
        ("fake.xlsx", b"country,vendor,category\n", "not an Excel"),
        ("broken.xlsx", b"PK\x03\x04garbage", "cannot read"),
        ("cols.csv", b"name,year\nx,2020\n", "required column"),
        ("big.csv", b"x" * (MAX_BYTES + 1), "larger than"),
        ("blank.csv", b"\n\n\n", "no rows"),
    ],
)
def test_files_that_are_not_what_they_claim_get_a_clear_message(dataset, name, payload, message) -> None:
    """Wrong type, encoding, size or emptiness raise UploadError naming the problem."""
    with pytest.raises(UploadError, match=message):
        parse_upload(name, payload, dataset)


def test_xlsx_upload(dataset) -> None:
    """An Excel file in the minimal layout loads like CSV."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Country", "Company", "Technology category", "Year"])
    sheet.append(["Ecuador", "CEIEC", "Integrated Platforms", 2011])
    buffer = io.BytesIO()
    book.save(buffer)
    result = parse_upload("mine.xlsx", buffer.getvalue(), dataset)
    assert list(result.projects["country_iso3"]) == ["ECU"]
    assert int(result.projects.iloc[0]["year"]) == 2011


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Republic of Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("South Korea", "KOR"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("North Korea", "PRK"),
        ("Côte d’Ivoire", "CIV"),
        ("DR Congo", "COD"),
        ("Republic of the Congo", "COG"),
        ("NA", "NAM"),
        ("Kosovo", "XKX"),
        ("Dem. Rep. Congo", "COD"),
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Guinea", "GIN"),
        ("Equatorial Guinea", "GNQ"),
        ("Narnia", None),
        ("Korea, Dem. People's Rep.", "PRK"),
    ],
)
def test_country_aliases_never_guess(name: str, iso3: str | None) -> None:
    """Exact names and aliases only: Republic of Korea is never North Korea."""
    assert to_iso3(name) == iso3


def _aiddata_fixture() -> bytes:
    """A small file in the column layout of AidData's Huawei table (GCDF)."""
    header = [
        "AidData TUFF Project ID",
        "Recipient",
        "Commitment Year",
        "Title",
        "Description",
        "Status",
        "Flow Type",
        "AidData Sector Code",
        "AidData Sector Name",
        "Funding Agencies",
        "Receiving Agencies",
        "Implementing Agencies",
        "Amount (Nominal)",
        "Original Currency",
        "Source URLs",
        "Source Titles",
    ]
    rows = [
        [
            "1001",
            "Kenya",
            "2014",
            "Safe city surveillance system",
            "CCTV network for Nairobi built by Huawei.",
            "Completion",
            "Loan",
            "220",
            "COMMUNICATIONS",
            "China Eximbank",
            "Government of Kenya",
            "Huawei",
            "100000000",
            "USD",
            "https://example.org/a|javascript:alert(1)",
            "Report A|Bad",
        ],
        [
            "1002",
            "Serbia",
            "2016",
            "School donation",
            "Books for a school.",
            "Completion",
            "Grant",
            "110",
            "EDUCATION",
            "Embassy",
            "Ministry",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "1003",
            "Ecuador",
            "2011",
            "Emergency platform",
            "Integrated platform by CEIEC.",
            "Implementation",
            "Loan",
            "430",
            "OTHER MULTISECTOR",
            "CDB",
            "",
            "CEIEC",
            "",
            "",
            "",
            "",
        ],
        [
            "1004",
            "Atlantis",
            "2015",
            "4G network",
            "LTE network.",
            "Completion",
            "Loan",
            "220",
            "COMMUNICATIONS",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Huawei"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_aiddata_importer_keeps_communications_and_vendor_records(dataset) -> None:
    """Communications-sector or vendor-naming records become projects crediting AidData with the record id."""
    result = parse_upload("gcdf.xlsx", _aiddata_fixture(), dataset)
    projects = result.projects.set_index("project_id")
    assert list(projects.index) == ["AID-1001", "AID-1003"]  # 1002 out of scope, 1004 unknown recipient
    kenya = projects.loc["AID-1001"]
    assert kenya["vendors"] == ("Huawei Technologies",)
    assert kenya["categories"][0] == "Surveillance" and kenya["project_type"] == "Safe City"
    assert kenya["status"] == "operational" and kenya["value_usd"] == 100_000_000
    assert kenya["source_publishers"][0] == "AidData" and "record 1001" in kenya["source_titles"][0]
    assert "javascript:alert(1)" not in kenya["source_urls"]
    assert projects.loc["AID-1003", "vendors"] == ("CEIEC",)
    assert projects.loc["AID-1003", "status"] == "under construction"
    assert [(p.row, p.column) for p in result.problems] == [("row 5", "Recipient")]


def _xlsx_declaring(dimension: str, rows: list[list]) -> bytes:
    """A small workbook whose sheet claims another size in its <dimension> element."""
    import re
    import zipfile

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)
            target.writestr(item, data)
    return out.getvalue()


def test_a_tiny_xlsx_declaring_a_whole_sheet_is_refused_before_parsing(dataset) -> None:
    """A 5 KB workbook with a cell at XFD1048576 (every row up to it would be padded to 16,384 columns, which
    exhausted memory before) is refused from its declared dimension, at once and in little memory."""
    import time
    import tracemalloc

    book = openpyxl.Workbook()
    book.active.append(["country", "vendor", "category"])
    book.active.append(["Kenya", "Huawei", "Energy"])
    book.active.cell(row=1_048_576, column=16_384, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    assert len(buffer.getvalue()) < 10_000
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(UploadError, match="declares 1,048,576 rows"):
        parse_upload("bomb.xlsx", buffer.getvalue(), dataset)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 2**20 and time.perf_counter() - started < 2


def test_an_xlsx_declaring_too_many_columns_reads_the_first_ones(dataset) -> None:
    """A sheet declaring 16,384 columns is read within the column bound, with a note saying so."""
    payload = _xlsx_declaring("A1:XFD2", [["country", "vendor", "category"], ["Kenya", "Huawei", "Energy"]])
    result = parse_upload("wide.xlsx", payload, dataset)
    assert list(result.projects["country_iso3"]) == ["KEN"]
    assert any("declares 16,384 columns" in note for note in result.notes)


def test_a_zip_that_unpacks_to_gigabytes_is_refused(dataset) -> None:
    """A data-package zip whose contents unpack past the bound is refused before reading."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", "{}")
        archive.writestr("projects.csv", "country,vendor,category\n" + "x" * (210 * 2**20))
    with pytest.raises(UploadError, match="unpack to"):
        parse_upload("bomb.zip", buffer.getvalue(), dataset)


def test_a_csv_row_with_thousands_of_columns_is_refused(dataset) -> None:
    """Width is bounded too: a row of 10,000 cells is refused with the line number."""
    payload = ("country,vendor,category\n" + ",".join(["x"] * 10_000) + "\n").encode()
    with pytest.raises(UploadError, match="line 2 has 10,000 columns"):
        parse_upload("wide.csv", payload, dataset)


def test_the_point_rule_is_the_validators_maldives_allowance_included(real_dataset) -> None:
    """Uploads use validate's point-in-country rule: a northern Maldives atoll is accepted in both."""
    from dsr_map.validate import points_outside

    text = (
        "country,vendor,category,latitude,longitude\nMaldives,Huawei,Energy,6.62207,73.06998\n"
        "Maldives,Huawei,Energy,10.57,72.64\n"
    )
    result = parse_upload("mdv.csv", text.encode(), real_dataset)
    assert len(result.projects) == 1 and [(p.row, p.column) for p in result.problems] == [("row 3", "latitude")]
    import pandas as pd

    frame = pd.DataFrame({"iso3": ["MDV", "MDV"], "lat": [6.62207, 10.57], "lon": [73.06998, 72.64]})
    shapes = dict(zip(real_dataset.world["iso3"], real_dataset.world["geometry"]))
    assert list(points_outside(frame["iso3"], frame["lat"], frame["lon"], shapes).notna()) == [False, True]


def test_one_alias_credits_one_company(dataset) -> None:
    """The AidData importer credits the longest company name it finds, not every name inside it."""
    from dsr_map.aiddata import _vendor_matcher, vendors_named

    dataset.vendors.loc[len(dataset.vendors)] = [
        "huawei-marine",
        "Huawei Marine Networks",
        "",
        "Huawei Marine",
        "Tianjin",
        "private",
    ]
    names = vendors_named("A cable laid by Huawei Marine Networks.", _vendor_matcher(dataset))
    assert names == ["Huawei Marine Networks"]


def test_status_type_and_scale_resolve_as_typed(dataset) -> None:
    """'Operational', 'safe city' and 'City' in an upload mean what the CLI and URL take them to mean."""
    text = (
        "country,vendor,category,status,type,scale\nKenya,huawei,surveillance,Operational,safe city,City\n"
        "Kenya,huawei,surveillance,finished,safe city,galactic\n"
    )
    result = parse_upload("x.csv", text.encode(), dataset)
    row = result.projects.iloc[0]
    assert (row["status"], row["project_type"], row["scale"], row["vendors"]) == (
        "operational",
        "Safe City",
        "city",
        ("Huawei Technologies",),
    )
    assert {(p.row, p.column) for p in result.problems} == {("row 3", "status"), ("row 3", "scale")}


def test_the_server_refuses_uploads_over_the_documented_limit() -> None:
    """.streamlit/config.toml caps uploads at the same size the parser documents (default would be 200 MB)."""
    import tomllib

    from dsr_map.upload import MAX_MEGABYTES

    from .conftest import REPO

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_MEGABYTES
