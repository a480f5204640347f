"""The restore drill: back up, restore into a fresh database, compare every table."""

import json
import os
import subprocess
import sys
import uuid
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from mim.operations import backup
from tests.factories import MatchFactory, MotherFactory, VisitFactory, answer


def mim(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "MIM_DEBUG": "false"}
    return subprocess.run([sys.executable, "-m", "mim.cli", *args], capture_output=True,
                          text=True, env=env, timeout=300)


@pytest.fixture
def records(db):
    mother = MotherFactory(ref="M-1", country_of_birth="NL")
    answer(mother, "mother_circumstances", "poor_social_network")
    MatchFactory(mother=mother)
    VisitFactory(mother=mother, note="Eerste bezoek")
    return mother


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty database of the same vendor as the suite's."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"mim_drill_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    settings = connection.settings_dict
    yield (f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
           f"{settings['PORT'] or 5432}/{name}")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manifest(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


@pytest.mark.django_db(transaction=True)
def test_it_restores_into_a_fresh_database_with_identical_rows(records, tmp_path,
                                                               fresh_database_url):
    first = tmp_path / "first.zip"
    call_command("backup", str(first))
    restored = mim("restore", str(first), database_url=fresh_database_url)
    assert restored.returncode == 0, restored.stderr
    assert "checksums verified" in restored.stdout
    second = tmp_path / "second.zip"
    again = mim("backup", str(second), database_url=fresh_database_url)
    assert again.returncode == 0, again.stderr
    assert manifest(second)["tables"] == manifest(first)["tables"]
    assert manifest(first)["tables"]["registry.mother"]["rows"] == 1
    # The figures the restored database gives are the figures of the original.
    original = StringIO()
    call_command("figures", "--year", "2024", "--unsuppressed", stdout=original)
    restored_figures = mim("figures", "--year", "2024", "--unsuppressed",
                           database_url=fresh_database_url)
    assert restored_figures.returncode == 0, restored_figures.stderr
    assert restored_figures.stdout == original.getvalue()
    assert "mothers.total,all,1,1" in original.getvalue()


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_restore_into_a_database_with_data(records, tmp_path):
    archive = tmp_path / "b.zip"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="not empty") as excinfo:
        call_command("restore", str(archive))
    assert excinfo.value.returncode == 1


def test_it_writes_a_backup_only_its_owner_can_read(records, tmp_path):
    archive = tmp_path / "b.zip"
    old = os.umask(0o022)
    try:
        call_command("backup", str(archive))
    finally:
        os.umask(old)
    assert archive.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db(transaction=True)
def test_it_keeps_nothing_when_a_table_does_not_verify(records, tmp_path, fresh_database_url):
    archive = tmp_path / "b.zip"
    call_command("backup", str(archive))
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "registry.mother.jsonl":
                data = data.replace(b'"M-1"', b'"M-2"')
            target.writestr(item, data)
    result = mim("restore", str(tampered), database_url=fresh_database_url)
    assert result.returncode == 1
    assert "verification failed for registry.mother" in result.stderr
    check = mim("backup", str(tmp_path / "after.zip"), database_url=fresh_database_url)
    assert check.returncode == 0
    assert all(t["rows"] == 0 for t in manifest(tmp_path / "after.zip")["tables"].values())


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.zip"
    bogus.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    with pytest.raises(CommandError, match="not a MIM backup|cannot read"):
        call_command("restore", str(bogus))


@pytest.mark.django_db
def test_it_refuses_to_overwrite_an_existing_backup(tmp_path):
    existing = tmp_path / "b.zip"
    existing.write_bytes(b"old")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"old"


def test_it_backs_up_every_table_with_data():
    from django.apps import apps

    labels = {m._meta.label_lower for m in backup.backed_up_models()}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        assert label in labels or label in backup.EXCLUDED, label
    for required in ("registry.mother", "registry.mothercontact", "audit.auditentry",
                     "accounts.user", "returns.returnfigure"):
        assert required in labels
