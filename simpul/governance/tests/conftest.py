"""Fixtures the governance tests share."""

import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Messages, notifications and a role grant plan's reasons are asserted in their source language."""
    with translation.override("en"):
        yield
