"""The restore drill (issue 15), against the real test database (SQLite or PostgreSQL): back up,
change data and files, restore, and find every table's count, the audit chain and the uploaded
files as they were; a partial, altered or mismatched archive is refused and changes nothing."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from greenlight.audit import verify as audit_verify
from greenlight.projects.models import Project
from greenlight.site import backup
from greenlight.tickets import services as ticket_services
from greenlight.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "tickets").mkdir(parents=True)
    attachment = settings.MEDIA_ROOT / "tickets" / "现场照片.txt"
    attachment.write_text("施工现场临时用电照片", encoding="utf-8")
    return attachment


def _audited_change(world) -> None:
    ticket_services.report(
        actor=world.users.company, project=world.project1, title="用电报装慢", category="site"
    )


def test_back_up_change_restore_and_everything_is_as_it_was(world, media, tmp_path):
    # given a platform with audited history and an uploaded file
    _audited_change(world)
    archive = tmp_path / "backups" / "drill.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    manifest = backup.read_manifest(archive)
    assert manifest["tables"]["tickets_ticket"] == 1
    assert manifest["files"]["media/tickets/现场照片.txt"]["size"] > 0
    # when data and files change after the backup
    _audited_change(world)
    Project.objects.filter(pk=world.project2.pk).delete()
    media.write_text("被替换", encoding="utf-8")
    (media.parent / "later.txt").write_text("后来上传", encoding="utf-8")
    assert backup.table_counts() != manifest["tables"]
    # and the archive is restored
    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    # then every table has its count of the backup, the audit chain holds, files are as they were
    assert backup.table_counts() == manifest["tables"]
    assert Ticket.objects.count() == 1
    assert Project.objects.filter(pk=world.project2.pk).exists()
    assert audit_verify.verify().intact
    assert media.read_text(encoding="utf-8") == "施工现场临时用电照片"
    assert not (media.parent / "later.txt").exists()
    assert "audit chain" in out.getvalue()


def _rewrite(archive: Path, target: Path, *, drop=(), change=None, manifest_edit=None) -> Path:
    """A copy of `archive` with members dropped, one member's bytes changed or the manifest
    edited."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            if member.name in drop:
                continue
            data = src.extractfile(member).read()
            if member.name == "manifest.json" and manifest_edit:
                found = json.loads(data)
                manifest_edit(found)
                data = json.dumps(found).encode()
            if change and member.name == change:
                data = data + b"!"
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.parametrize(
    "damage,reason",
    [
        ("truncated", "not a complete archive"),
        ("drop_media", "lacks"),
        ("altered_media", "checksum"),
        ("other_engine", "database"),
        ("newer_version", "newer version"),
        ("no_manifest", "manifest"),
    ],
)
def test_a_partial_altered_or_mismatched_archive_is_refused(world, media, tmp_path, damage, reason):
    archive = tmp_path / "good.tar.gz"
    backup.backup(archive)
    bad = tmp_path / "bad.tar.gz"
    name = "media/tickets/现场照片.txt"
    if damage == "truncated":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif damage == "drop_media":
        _rewrite(archive, bad, drop=[name])
    elif damage == "altered_media":
        _rewrite(archive, bad, change=name)
    elif damage == "other_engine":
        other = "sqlite" if backup.engine() == "postgresql" else "postgresql"
        _rewrite(archive, bad, manifest_edit=lambda m: m.update(engine=other))
    elif damage == "newer_version":
        _rewrite(archive, bad, manifest_edit=lambda m: m["migrations"].append("tickets.9999_x"))
    else:
        _rewrite(archive, bad, drop=["manifest.json"])
    before = backup.table_counts()
    with pytest.raises(CommandError, match=reason):
        call_command("restore", str(bad), yes=True, stdout=io.StringIO())
    assert backup.table_counts() == before
    assert media.read_text(encoding="utf-8") == "施工现场临时用电照片"
