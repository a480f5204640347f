"""docs/security.md names a test for each requirement of the security guide: every test it
names must exist, so a renamed or deleted test cannot leave the document promising it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
# `tests/x.py::test_name`, or `::test_name` for another test of the file named before it.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?::(test_\w+)`")
REQUIREMENTS = ["A1", "A2", "A3", "B1", "B2", "B3", "C1", "C2", "D1", "D2", "D3", "D4", "D5",
                "E1", "E2", "E3", "F1", "F2", "F3", "F4", "F5"]


def test_it_names_only_tests_that_exist():
    text = DOC.read_text()
    current, missing, named = None, [], 0
    for match in REFERENCE.finditer(text):
        current = match.group(1) or current
        source = (ROOT / current).read_text() if (ROOT / current).exists() else ""
        named += 1
        if not re.search(rf"^def {match.group(2)}\(", source, re.MULTILINE):
            missing.append(f"{current}::{match.group(2)}")
    assert named > 60
    assert missing == []


def test_it_has_a_section_for_every_requirement_of_the_guide():
    text = DOC.read_text()
    assert [r for r in REQUIREMENTS if f"**{r} —" not in text] == []
    assert "## Not covered" in text
