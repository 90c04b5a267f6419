import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Evidence files of the roadmap's tests go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
