"""`simpul check --deploy` passes with the production settings that docs/deployment.md prescribes."""

import os
import secrets
import subprocess

from simpul.core.tests.scratch import SIMPUL


def _deploy_check(tmp_path, **overrides: str) -> subprocess.CompletedProcess:
    # Only what a production server sets: variables of the test process (e.g. DJANGO_ALLOW_ASYNC_UNSAFE,
    # which browser tests set) must not leak into the checked configuration.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(
        SIMPUL_VAR_DIR=str(tmp_path),
        SIMPUL_HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="spbe.example.go.id",
        SIMPUL_DEBUG="0",
        DJANGO_SETTINGS_MODULE="simpul.settings",
    )
    env.update(overrides)
    return subprocess.run(
        [SIMPUL, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = _deploy_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_without_https(tmp_path):
    """The check is meaningful: dropping SIMPUL_HTTPS brings back the HSTS/SSL/cookie warnings."""
    result = _deploy_check(tmp_path, SIMPUL_HTTPS="0")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr
