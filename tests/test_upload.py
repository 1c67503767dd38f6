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
    [("Republic of Korea", "KOR"), ("Korea, Republic of", "KOR"), ("South Korea", "KOR"),
     ("Democratic People's Republic of Korea", "PRK"), ("North Korea", "PRK"), ("Côte d’Ivoire", "CIV"),
     ("DR Congo", "COD"), ("Republic of the Congo", "COG"), ("NA", "NAM"), ("Kosovo", "XKX"),
     ("Dem. Rep. Congo", "COD"), ("Niger", "NER"), ("Nigeria", "NGA"), ("Guinea", "GIN"),
     ("Equatorial Guinea", "GNQ"), ("Narnia", None), ("Korea, Dem. People's Rep.", "PRK")],
)
def test_country_aliases_never_guess(name: str, iso3: str | None) -> None:
    """Exact names and aliases only: Republic of Korea is never North Korea."""
    assert to_iso3(name) == iso3


def _aiddata_fixture() -> bytes:
    """A small file in the column layout of AidData's Huawei table (GCDF)."""
    header = ["AidData TUFF Project ID", "Recipient", "Commitment Year", "Title", "Description", "Status",
              "Flow Type", "AidData Sector Code", "AidData Sector Name", "Funding Agencies", "Receiving Agencies",
              "Implementing Agencies", "Amount (Nominal)", "Original Currency", "Source URLs", "Source Titles"]
    rows = [
        ["1001", "Kenya", "2014", "Safe city surveillance system", "CCTV network for Nairobi built by Huawei.",
         "Completion", "Loan", "220", "COMMUNICATIONS", "China Eximbank", "Government of Kenya", "Huawei",
         "100000000", "USD", "https://example.org/a|javascript:alert(1)", "Report A|Bad"],
        ["1002", "Serbia", "2016", "School donation", "Books for a school.", "Completion", "Grant", "110",
         "EDUCATION", "Embassy", "Ministry", "", "", "", "", ""],
        ["1003", "Ecuador", "2011", "Emergency platform", "Integrated platform by CEIEC.", "Implementation",
         "Loan", "430", "OTHER MULTISECTOR", "CDB", "", "CEIEC", "", "", "", ""],
        ["1004", "Atlantis", "2015", "4G network", "LTE network.", "Completion", "Loan", "220", "COMMUNICATIONS",
         "", "", "", "", "", "", ""],
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
