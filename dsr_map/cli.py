"""Command line: python -m dsr_map validate | format | stats | export."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .errors import DataValidationError, Problem
from .fmt import format_tables
from .join import prepare_projects
from .load import Dataset, read_dataset
from .stats import compute_stats, format_stats
from .validate import find_problems


def _load(args: argparse.Namespace) -> tuple[Dataset, list[Problem]]:
    from .gazetteer import read_places

    dataset, problems = read_dataset(args.data)
    _places, place_problems = read_places(dataset.data_dir)
    return dataset, problems + place_problems + find_problems(dataset)


def _report(problems: list[Problem]) -> int:
    """Print each problem on its own line; 1 when there were any, else 0."""
    for problem in sorted(set(problems)):
        print(problem)
    return 1 if problems else 0


def cmd_validate(args: argparse.Namespace) -> int:
    dataset, problems = _load(args)
    if problems:
        print(f"{len(set(problems))} problem(s) in {dataset.data_dir}", file=sys.stderr)
        return _report(problems)
    print(f"OK: {len(dataset.projects)} projects, {len(dataset.sources)} sources, "
          f"{len(dataset.vendors)} vendors, {len(dataset.world)} boundary features valid "
          f"(data {dataset.version})")
    return 0


def cmd_format(args: argparse.Namespace) -> int:
    dataset, problems = read_dataset(args.data)
    if problems:
        return _report(problems)
    frames = {"projects.csv": dataset.projects, "sources.csv": dataset.sources, "vendors.csv": dataset.vendors}
    diffs = format_tables(dataset.data_dir, frames, check=args.check)
    if args.check and diffs:
        print("\n".join(diffs))
        print("not canonical: run python -m dsr_map format", file=sys.stderr)
        return 1
    print("canonical" if not diffs else "formatted")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    dataset, problems = read_dataset(args.data)
    stats = compute_stats(prepare_projects(dataset), dataset)
    if problems:
        stats["load_problems"] = [str(p) for p in problems]
    print(json.dumps(stats, indent=2, ensure_ascii=False) if args.json else format_stats(stats))
    return 0


def cmd_geocode(args: argparse.Namespace) -> int:
    """Fill empty coordinates of rows that name a city, from places.csv then GeoNames; report the rest."""
    from .fmt import format_tables
    from .gazetteer import locate, read_places

    dataset, problems = read_dataset(args.data)
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
    print(f"filled {filled} row(s) from GeoNames and places.csv; {len(unresolved)} city name(s) not found")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the filtered view; filters mean exactly what they mean in the app."""
    from .export import Snapshot, export_bytes
    from .filters import Selection, apply_selection
    from .static import parse_extent
    from .upload import add_extra_projects

    dataset, problems = _load(args)
    if problems:
        return _report(problems)
    projects = prepare_projects(dataset)
    if args.extra:
        projects, extra_problems = add_extra_projects(projects, args.extra, dataset)
        for problem in extra_problems:
            print(f"skipped: {problem}", file=sys.stderr)
    selection = Selection(
        categories=tuple(args.category), vendors=tuple(args.vendor), countries=tuple(c.upper() for c in args.country),
        regions=tuple(args.region), statuses=tuple(args.status), project_types=tuple(args.type),
        year_from=args.year_from, year_to=args.year_to, search=args.search or "",
    )
    filtered = apply_selection(projects, selection)
    extent = args.extent if args.extent in ("world", "data") else parse_extent(args.extent)
    snapshot = Snapshot(selection=selection, version=dataset.version, title=args.title or "")
    options = {}
    if args.format in ("png", "svg", "pdf"):
        options = {"extent": extent, "width_px": args.width, "height_px": args.height, "dpi": args.dpi}
    payload = export_bytes(args.format, filtered, dataset.world, snapshot, **options)
    with open(args.output, "wb") as handle:
        handle.write(payload)
    print(f"wrote {args.output}: {args.format}, {len(filtered)} project(s), {len(payload)} bytes")
    return 0


def _add_export_parser(sub, common) -> None:
    from .export import FORMATS

    p = sub.add_parser("export", parents=[common], help="export the filtered view (png, svg, pdf, html, csv, geojson)")
    p.add_argument("format", choices=FORMATS)
    p.add_argument("-o", "--output", required=True, help="file to write")
    p.add_argument("--category", action="append", default=[], help="technology category (repeatable)")
    p.add_argument("--vendor", action="append", default=[], help="company, canonical name as shown (repeatable)")
    p.add_argument("--country", action="append", default=[], help="ISO3 code (repeatable)")
    p.add_argument("--region", action="append", default=[], help="UN M49 region (repeatable)")
    p.add_argument("--status", action="append", default=[], help="status (repeatable)")
    p.add_argument("--type", action="append", default=[], help="project type (repeatable)")
    p.add_argument("--year-from", type=int)
    p.add_argument("--year-to", type=int)
    p.add_argument("--search", help="text search over name, description, city, company and sources")
    p.add_argument("--title", help="title (default: from the filters)")
    p.add_argument("--dpi", type=int, default=150)
    p.add_argument("--width", type=int, default=1600, help="image width in pixels")
    p.add_argument("--height", type=int, default=900, help="image height in pixels")
    p.add_argument("--extent", default="world", help="world, data or minx,miny,maxx,maxy (degrees)")
    p.add_argument("--extra", metavar="FILE", help="your own projects (CSV or XLSX) shown with the bundled data")
    p.set_defaults(func=cmd_export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dsr-map", description="DSR Map data tools")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR", help="data folder laid out like data/ (default: $DSR_MAP_DATA or the bundled data)")
    p = sub.add_parser("validate", parents=[common], help="check the dataset; exit 1 listing every problem")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("format", parents=[common], help="write the CSVs in canonical form")
    p.add_argument("--check", action="store_true", help="only check; exit 1 if not canonical")
    p.set_defaults(func=cmd_format)
    p = sub.add_parser("stats", parents=[common], help="coverage figures")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("geocode", parents=[common], help="fill empty coordinates from the city name (places.csv, then GeoNames)")
    p.add_argument("--dry-run", action="store_true", help="report only")
    p.set_defaults(func=cmd_geocode)
    _add_export_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataValidationError as exc:
        return _report(exc.problems)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
