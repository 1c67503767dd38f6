"""The Streamlit app, headless (streamlit.testing AppTest): filters, URL state, hostile links, uploads."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dsr_map.filters import Selection
from dsr_map.views import TABLE_PAGE, Exporter

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def metric(at: AppTest, label: str = "Projects") -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", ""))


def new_session() -> AppTest:
    """A session whose map has reported that it is drawn (AppTest runs no browser to report it)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["map_drawn"] = True
    return at


def run(query: dict | None = None) -> AppTest:
    at = new_session()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def exporter(real_dataset) -> Exporter:
    return Exporter.for_dataset(real_dataset)


@pytest.fixture
def app() -> AppTest:
    return run()


def test_app_runs_and_shows_all_projects(app: AppTest, real_dataset) -> None:
    """The page renders with the Projects metric equal to the bundled row count and a first table page."""
    assert metric(app) == len(real_dataset.projects)
    assert app.title[0].value == "DSR Map"
    assert len(app.dataframe[0].value) == TABLE_PAGE  # the table sends a page, not every row
    assert next(m for m in app.metric if m.label == "Sources cited").value.count(",") == 1  # 1,4xx


def test_a_new_session_draws_the_map_first_then_everything_else(real_dataset) -> None:
    """The first run sends the header and the map only; the map's report that it is drawn brings the rest,
    with the filters from the link already applied."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["category"] = ["fintech"]
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "DSR Map"
    assert not at.tabs and not at.dataframe and not at.sidebar.multiselect
    assert "Loading the filters" in at.sidebar.caption[0].value
    fintech = int(real_dataset.projects["categories"].str.contains("Fintech").sum())
    assert metric(at) == fintech  # the headline already counts the linked view
    at.session_state["map_drawn"] = True  # what the map's "drawn" value sets
    at.run()
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs][:2] == ["Projects", "Country profile"]
    assert at.multiselect(key="f_categories").value == ["Fintech"]
    assert metric(at) == fintech and len(at.dataframe[0].value) == min(fintech, TABLE_PAGE)


def test_category_filter_lowers_the_metric_by_the_exact_count(app: AppTest, exporter) -> None:
    """Choosing a category gives exactly the rows that category has (counted through the library)."""
    app.multiselect(key="f_categories").select("Fintech").run()
    assert not app.exception
    expected = len(exporter.select(Selection(categories=("Fintech",))))
    assert metric(app) == expected
    assert len(app.dataframe[0].value) == min(expected, TABLE_PAGE)
    assert app.query_params["category"] in ("Fintech", ["Fintech"])


def test_url_parameters_preset_the_filters(exporter) -> None:
    """?category=surveillance&country=kenya&vendor=huawei opens that view (names as users type them)."""
    at = run({"category": ["surveillance"], "country": ["kenya"], "vendor": ["huawei"]})
    assert at.multiselect(key="f_categories").value == ["Surveillance"]
    assert at.multiselect(key="f_countries").value == ["KEN"]
    expected = exporter.select(
        Selection(categories=("Surveillance",), countries=("KEN",), vendors=("Huawei Technologies",))
    )
    assert metric(at) == len(expected) > 0


@pytest.mark.parametrize(
    "query",
    [
        {"year_from": "²"},
        {"year_from": "٢٠١٥"},
        {"year_to": "99999"},
        {"as_of": "-1"},
        {"as_of": "²⁰¹⁹"},
        {"category": ["<script>alert(1)</script>"]},
        {"country": ["%00", "KENYA"]},
        {"vendor": ["x" * 5000]},
        {"year_from": "2020", "year_to": "2010"},
        {"q": "\u202e\u0000" + "a" * 1000},
        {"layer": "<b>"},
        {"shade": "everything"},
        {"undated": "maybe"},
        {"scale": ["galactic"]},
    ],
)
def test_hostile_or_odd_url_parameters_never_crash(query) -> None:
    """Odd values are left out with a notice naming them; the page still renders every project or a subset."""
    at = run(query)
    assert metric(at) >= 0 and app_has_map_and_tabs(at)


def app_has_map_and_tabs(at: AppTest) -> bool:
    return len(at.tabs) == 6


def test_unknown_url_values_are_named_in_a_notice() -> None:
    """?vendor=Huawai says what it left out and suggests the right name."""
    at = run({"vendor": ["Huawai"]})
    notices = " ".join(w.value for w in at.warning)
    assert "Huawai" in notices and "Huawei Technologies" in notices


def test_url_text_never_becomes_a_live_link() -> None:
    """?q=[Verify your account](https://evil.example) shows as text in the caption: escaped Markdown."""
    at = run({"q": "[Verify your account](https://evil.example)"})
    showing = next(c.value for c in at.caption if c.value.startswith("Showing:"))
    assert "](https" not in showing and "://" not in showing  # escaped, and no address a renderer would link
    assert showing.replace("\u2060", "").endswith(
        '"\\[Verify your account\\]\\(https\\://evil\\.example\\)" · 0 projects'
    )


def test_layer_shade_and_as_of_round_trip_through_the_url(exporter) -> None:
    """layer=standards, shade=government and as_of=2015 preset the map options and survive into the URL."""
    at = run({"layer": "standards", "shade": "government", "as_of": "2015"})
    assert at.checkbox(key="f_layer").value is True
    assert at.radio(key="f_shade").value == "Government-level projects"
    assert at.query_params["layer"] in ("standards", ["standards"])
    assert at.query_params["as_of"] in ("2015", ["2015"])
    assert metric(at) == len(exporter.select(Selection(as_of=2015)))


def test_undated_projects_and_the_year_range(exporter) -> None:
    """A year range says how many undated projects it leaves out, and the checkbox brings them back."""
    at = run({"year_from": "2015"})
    without = metric(at)
    assert without == len(exporter.select(Selection(year_from=2015)))
    undated = int(exporter.projects["year"].isna().sum())
    if undated:
        assert any("undated project" in c.value for c in at.caption)
        at.checkbox(key="f_undated").check().run()
        assert metric(at) == without + undated


def test_search_box_filters(app: AppTest, exporter) -> None:
    """Text search narrows the view to exactly the matching rows."""
    app.text_input(key="f_search").input("Belgrade").run()
    assert metric(app) == len(exporter.select(Selection(search="Belgrade"))) > 0


def _upload(at: AppTest, name: str, payload: bytes) -> AppTest:
    uploader = at.get("file_uploader")[0] if at.get("file_uploader") else None
    if uploader is None or not hasattr(uploader, "set_value"):
        pytest.skip("this Streamlit's AppTest cannot set a file_uploader value")
    uploader.set_value([(name, payload, "text/csv")])
    at.run()
    return at


def test_an_upload_with_a_single_year_renders_without_a_year_slider() -> None:
    """'Only my upload' with one valid row (a single year: slider min == max) renders, not a crash."""
    at = run()
    at = _upload(at, "one.csv", b"country,vendor,category,year\nKenya,Huawei,Surveillance,2015\n")
    at.radio(key="show_mode").set_value("Only my upload").run()
    assert not at.exception, at.exception
    assert metric(at) == 1


def test_country_profile_shows_its_standards_ties_and_timelines(real_dataset) -> None:
    """The profile of a country lists its ties (ids as in standards.csv) and each project's dated events."""
    at = new_session()
    at.query_params["country"] = ["KAZ"]
    at.session_state["tab"] = "Country profile"
    at.run()
    assert not at.exception, at.exception
    expected = set(real_dataset.standards.loc[real_dataset.standards["country_iso3"] == "KAZ", "tie_id"])
    frames = [d.value for d in at.dataframe]
    ties = next(f for f in frames if "Chinese party" in f.columns)
    assert expected and expected <= set(ties["ID"])
    timelines = next(f for f in frames if "What happened" in f.columns)
    kaz_projects = set(real_dataset.projects.loc[real_dataset.projects["country_iso3"] == "KAZ", "project_id"])
    assert len(timelines) == int(real_dataset.events["project_id"].isin(kaz_projects).sum())


def test_only_the_open_tab_is_built() -> None:
    """Tabs are lazy: the charts' data is not sent while the projects table is open."""
    at = run()
    assert not at.get("vega_lite_chart") and len(at.dataframe) == 1
    at.session_state["tab"] = "Charts"
    at.run()
    assert len(at.get("vega_lite_chart")) == 3 and len(at.dataframe) == 0
