"""The Streamlit app, headless (streamlit.testing AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def projects_metric(at: AppTest) -> int:
    return int(next(m for m in at.metric if m.label == "Projects").value)


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_app_runs_and_shows_all_projects(app: AppTest, real_dataset) -> None:
    """The page renders with the Projects metric equal to the bundled row count."""
    assert projects_metric(app) == len(real_dataset.projects)
    assert app.title[0].value == "DSR Map"
    assert len(app.dataframe) >= 1


def test_category_filter_lowers_the_metric_and_table(app: AppTest) -> None:
    """Choosing a category changes the Projects metric and the table."""
    total = projects_metric(app)
    rows_before = len(app.dataframe[0].value)
    app.multiselect(key="f_categories").select("Fintech").run()
    assert not app.exception
    filtered = projects_metric(app)
    assert 0 < filtered < total
    assert len(app.dataframe[0].value) == filtered < rows_before
    assert app.query_params["category"] in ("Fintech", ["Fintech"])


def test_url_parameters_preset_the_filters(real_dataset) -> None:
    """?category=Surveillance&country=KEN opens that view; junk values are ignored."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["category"] = ["Surveillance", "No such category"]
    at.query_params["country"] = ["KEN"]
    at.run()
    assert not at.exception
    assert at.multiselect(key="f_categories").value == ["Surveillance"]
    assert at.multiselect(key="f_countries").value == ["KEN"]
    assert 0 < projects_metric(at) < len(real_dataset.projects)


def test_search_box_filters(app: AppTest) -> None:
    """Text search narrows the view."""
    total = projects_metric(app)
    app.text_input(key="f_search").input("Belgrade").run()
    assert 0 < projects_metric(app) < total
