"""A publication's labels do not depend on the language of the read that built it."""

import random

import pytest
from django.utils import translation

from mim.publication.selectors import read_scope
from tests.factories import SiteFactory
from tests.figures.conftest import YEAR, random_records

pytestmark = pytest.mark.django_db


def test_it_stores_labels_in_the_interface_language_whoever_triggered_the_build():
    random_records(random.Random(3), [SiteFactory(first_year=2010) for _ in range(3)], 60, 20)
    with translation.override("en"):
        assert read_scope(YEAR, "national", "NL").label == "Netherlands"  # builds and stores
    with translation.override("nl"):
        assert read_scope(YEAR, "national", "NL").label == "Nederland"
