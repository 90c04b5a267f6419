"""Settings of the test run: Simpul's own, plus a module that exists only for tests.

The throwaway module (simpul/core/tests/throwaway/) carries its own migration, so only a test database
has its table. `makemigrations --check`, `make run` and every deployment keep using simpul.settings.
"""

from simpul.settings import *  # noqa: F403
from simpul.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "simpul.core.tests.throwaway"]
