"""Command line: dsr-map validate | format | stats | geocode | export.

Each command imports only what it uses (``validate`` and ``stats`` never load matplotlib).
Names are resolved as users type them (``--vendor huawei``, ``--country Kenya``); an unknown name
or an out-of-range number exits 2 naming it and suggesting the closest valid values; a filter
that matches nothing exits 1 and writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence

from .primitives import DPI_RANGE, EXPORT_FORMATS, EXPORT_TABLES, SIZE_RANGE, TITLE_MAX_CHARS

FIRST_YEAR = 1990


class UsageError(ValueError):
    """A value the user typed that cannot be used (exit 2)."""


def _report(problems) -> int:
    """Print each problem on its own line; 1 when there were any, else 0."""
    for problem in sorted(set(problems)):
        print(problem)
    return 1 if problems else 0


def _load(args: argparse.Namespace, *, geometry: bool = True, check: bool = True):
    from .gazetteer import read_places
    from .load import read_dataset

    dataset, problems = read_dataset(args.data, geometry=geometry)
    if check:
        from .validate import find_problems

        problems = problems + read_places(dataset.data_dir)[1] + find_problems(dataset)
    return dataset, problems


def cmd_validate(args: argparse.Namespace) -> int:
    dataset, problems = _load(args)
    if problems:
        print(f"{len(set(problems))} problem(s) in {dataset.data_dir}", file=sys.stderr)
        return _report(problems)
    print(
        f"OK: {len(dataset.projects)} projects, {len(dataset.events)} events, {len(dataset.standards)} standards "
        f"ties, {len(dataset.sources)} sources, {len(dataset.vendors)} vendors, {len(dataset.world)} boundary "
        f"features valid (data {dataset.version})"
    )
    return 0


def cmd_format(args: argparse.Namespace) -> int:
    from .fmt import format_tables
    from .load import read_dataset

    dataset, problems = read_dataset(args.data, geometry=False)
    if problems:
        return _report(problems)
    diffs = format_tables(dataset.data_dir, dataset.tables, check=args.check)
    if args.check and diffs:
        print("\n".join(diffs))
        print("not canonical: run dsr-map format", file=sys.stderr)
        return 1
    print("canonical" if not diffs else "formatted")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .join import prepare_projects
    from .load import read_dataset
    from .stats import compute_stats, format_stats

    dataset, problems = read_dataset(args.data, geometry=False)
    stats = compute_stats(prepare_projects(dataset), dataset)
    if problems:
        stats["load_problems"] = [str(p) for p in problems]
    print(json.dumps(stats, indent=2, ensure_ascii=False) if args.json else format_stats(stats))
    return 0


def cmd_geocode(args: argparse.Namespace) -> int:
    """Fill empty coordinates of rows that name a city, from places.csv then GeoNames; report the rest."""
    from .fmt import format_tables
    from .gazetteer import locate, read_places
    from .load import read_dataset

    dataset, problems = read_dataset(args.data, geometry=False)
    places, place_problems = read_places(dataset.data_dir)
    if problems or place_problems:
        return _report(problems + place_problems)
    projects = dataset.projects.copy()
    filled, unresolved = 0, []
    for index, row in projects.iterrows():
        if not row["city"] or row["latitude"] or row["longitude"]:
            continue
        found = locate(row["city"], row["country_iso3"], places)
        if found is None:
            unresolved.append(f"{row['project_id']}: city {row['city']!r} not found in {row['country_iso3']}")
            continue
        projects.at[index, "latitude"], projects.at[index, "longitude"] = str(found[0]), str(found[1])
        filled += 1
    if not args.dry_run:
        format_tables(dataset.data_dir, {"projects.csv": projects}, check=False)
    print("\n".join(unresolved))
    print(f"filled {filled} row(s) from places.csv and GeoNames; {len(unresolved)} city name(s) not found")
    return 0


# ---------------------------------------------------------------- export
def _checked_int(value: int | None, label: str, lo: int, hi: int) -> int | None:
    if value is not None and not lo <= value <= hi:
        raise UsageError(f"{label} must be from {lo} to {hi} (got {value})")
    return value


def _selection(args: argparse.Namespace, resolver):
    from dataclasses import replace

    from .filters import selection_from_names

    this_year = dt.date.today().year
    selection = selection_from_names(
        resolver,
        categories=args.category,
        vendors=args.vendor,
        countries=args.country,
        regions=args.region,
        statuses=args.status,
        project_types=args.type,
        scales=args.scale,
    )
    year_from = _checked_int(args.year_from, "--year-from", FIRST_YEAR, this_year)
    year_to = _checked_int(args.year_to, "--year-to", FIRST_YEAR, this_year)
    as_of = _checked_int(args.as_of, "--as-of", FIRST_YEAR, this_year)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise UsageError(f"--year-from {year_from} is after --year-to {year_to}")
    return replace(
        selection,
        year_from=year_from,
        year_to=year_to,
        as_of=as_of,
        include_undated=args.include_undated,
        search=(args.search or "").strip(),
    )


def cmd_export(args: argparse.Namespace) -> int:
    """Export the filtered view; filters mean exactly what they mean in the app."""
    if args.format in ("png", "svg", "pdf", "gif"):
        _checked_int(args.dpi, "--dpi", *DPI_RANGE)
        _checked_int(args.width, "--width", *SIZE_RANGE)
        _checked_int(args.height, "--height", *SIZE_RANGE)
    if args.title and len(args.title) > TITLE_MAX_CHARS:
        raise UsageError(f"--title has {len(args.title)} characters; the limit is {TITLE_MAX_CHARS}")
    if args.table != "projects" and args.format not in ("csv", "geojson"):
        raise UsageError(f"--table {args.table} goes with csv or geojson (the data package holds every table)")
    from .resolve import build_resolver
    from .views import Exporter

    needs_shapes = (
        args.format in ("png", "svg", "pdf", "gif", "html", "datapackage")
        or bool(args.extra)
        or args.table == "standards"
    )
    dataset, problems = _load(args, geometry=needs_shapes)
    if problems:
        return _report(problems)
    resolver = build_resolver(dataset.vendors, dataset.world["iso3"], dataset.world["region"])
    selection = _selection(args, resolver)
    exporter = Exporter.for_dataset(dataset)
    if args.extra:
        result = exporter.add_upload(args.extra, resolver)
        for note in result.notes:
            print(note, file=sys.stderr)
        for problem in result.problems:
            print(f"skipped: {problem}", file=sys.stderr)
    extent = args.extent
    if args.format in ("png", "svg", "pdf", "gif"):
        from .static import resolve_extent

        resolve_extent(extent, exporter.projects.iloc[0:0], dataset.world)  # a bad extent fails before any work
    count = exporter.count(selection, table=args.table)
    if count == 0:
        print(f"no {args.table} match these filters ({selection.describe()}); nothing written", file=sys.stderr)
        return 1
    payload = exporter.export(
        args.format,
        selection,
        title=args.title or "",
        table=args.table,
        extent=extent,
        width_px=args.width,
        height_px=args.height,
        dpi=args.dpi,
        standards_layer=args.layer == "standards",
        government_only=args.shade == "government",
    )
    with open(args.output, "wb") as handle:
        handle.write(payload)
    print(
        f"wrote {args.output}: {args.format}, {count:,} {args.table if count != 1 else args.table[:-1]}, "
        f"{len(payload):,} bytes"
    )
    return 0


def _add_export_parser(sub, common) -> None:
    p = sub.add_parser(
        "export",
        parents=[common],
        help="export the filtered view",
        description="Export the filtered view. Names may be typed as users type them: "
        "--vendor huawei, --country Kenya, --category surveillance.",
    )
    p.add_argument("format", choices=EXPORT_FORMATS)
    p.add_argument("-o", "--output", required=True, help="file to write")
    p.add_argument(
        "--table",
        choices=EXPORT_TABLES,
        default="projects",
        help="for csv and geojson: projects (default), events or standards ties",
    )
    p.add_argument("--category", action="append", default=[], help="technology category (repeatable)")
    p.add_argument("--vendor", action="append", default=[], help="company: name, short name, alias or id (repeatable)")
    p.add_argument("--country", action="append", default=[], help="country: ISO3, ISO2 or English name (repeatable)")
    p.add_argument("--region", action="append", default=[], help="UN M49 region, e.g. Africa (repeatable)")
    p.add_argument("--status", action="append", default=[], help="status, e.g. operational (repeatable)")
    p.add_argument("--type", action="append", default=[], help="project type, e.g. 'Safe City' (repeatable)")
    p.add_argument(
        "--scale", action="append", default=[], help="national, regional, city, site or 'product in use' (repeatable)"
    )
    p.add_argument(
        "--year-from", type=int, help="first year (projects without a year are left out unless --include-undated)"
    )
    p.add_argument("--year-to", type=int, help="last year")
    p.add_argument("--include-undated", action="store_true", help="with a year bound, keep undated projects")
    p.add_argument(
        "--as-of",
        type=int,
        metavar="YEAR",
        help="the world as it stood at the end of YEAR: projects that existed, with their status then",
    )
    p.add_argument("--search", help="text search over name, description, city, company and sources")
    p.add_argument("--layer", choices=("standards",), help="draw the standards-ties layer (maps)")
    p.add_argument(
        "--shade",
        choices=("all", "government"),
        default="all",
        help="shade countries by all projects or by government-level ones (national, regional, city)",
    )
    p.add_argument(
        "--title", help=f"title (default: from the filters); drawn literally, up to {TITLE_MAX_CHARS} characters"
    )
    p.add_argument(
        "--dpi",
        type=int,
        default=150,
        help="print density, 72-600: the image prints at width/dpi inches with text sized for that print",
    )
    p.add_argument("--width", type=int, default=1600, help="image width in pixels, 600-6000")
    p.add_argument("--height", type=int, default=900, help="image height in pixels, 600-6000")
    p.add_argument(
        "--extent",
        default="world",
        help="world, data (fitted), a region (Africa, Asia, Europe, 'Latin America and the Caribbean', "
        "'Middle East and North Africa', Oceania, 'Southeast Asia') or minx,miny,maxx,maxy",
    )
    p.add_argument(
        "--extra", metavar="FILE", help="your own projects (CSV, XLSX or data-package zip) shown with the bundled data"
    )
    p.set_defaults(func=cmd_export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dsr-map", description="DSR Map data tools")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data", metavar="DIR", help="data folder laid out like data/ (default: $DSR_MAP_DATA or the bundled data)"
    )
    p = sub.add_parser("validate", parents=[common], help="check the dataset; exit 1 listing every problem")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("format", parents=[common], help="write the CSVs in canonical form (derived columns included)")
    p.add_argument("--check", action="store_true", help="only check; exit 1 if not canonical")
    p.set_defaults(func=cmd_format)
    p = sub.add_parser("stats", parents=[common], help="coverage figures")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("geocode", parents=[common], help="fill empty coordinates from the city name")
    p.add_argument("--dry-run", action="store_true", help="report only")
    p.set_defaults(func=cmd_geocode)
    _add_export_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .errors import DataValidationError
    from .resolve import UnknownValue

    try:
        return args.func(args)
    except DataValidationError as exc:
        return _report(exc.problems)
    except (UsageError, UnknownValue) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
