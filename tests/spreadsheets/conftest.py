"""Helpers for the record-file tests: files built in memory, uploads kept in a temporary
folder."""

import csv
import io

import pytest

from mim.spreadsheets.columns import SHEETS
from mim.spreadsheets.reading import Upload


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MIM_UPLOAD_DIR = tmp_path / "uploads"


def csv_bytes(rows: list[dict], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def csv_upload(sheet: str, rows: list[dict], columns: list[str] | None = None) -> Upload:
    columns = columns or [column.code for column in SHEETS[sheet]]
    return Upload(f"{sheet}.csv", csv_bytes(rows, columns))


def mother_row(ref="M1", **values) -> dict:
    row = {"mother_ref": ref, "start_date": "2024-03-01", "birth_year": "1995",
           "origin": "dutch", "country_of_birth": "NL", "education": "mbo",
           "household": "single", "income_source": "own_income", "child_order": "first",
           "pregnant_at_start": "no", "mother_circumstances": "", "baby_circumstances": ""}
    row.update(values)
    return row


def volunteer_row(ref="V1", **values) -> dict:
    row = {"volunteer_ref": ref, "start_date": "2023-01-10", "birth_year": "1980",
           "origin": "dutch", "education": "hbo", "former_mim_mother": "no",
           "work_experience": "care", "vog_date": "2023-01-01", "agreement_signed": "yes"}
    row.update(values)
    return row


def match_row(mother="M1", volunteer="V1", start="2024-03-15", end="") -> dict:
    return {"mother_ref": mother, "volunteer_ref": volunteer, "start_date": start,
            "end_date": end}
