"""`simpul demo`: load the Lampung Timur demo (every module's part, in dependency order) in one transaction;
idempotent. The loaders and demo users are the modules' (`SimpulModule.demo_loader`, `demo_users`)."""

import os
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from simpul.core import context, modules


@dataclass
class DemoContext:
    password: str
    instansi: object = None
    created_users: list[str] = field(default_factory=list)


def demo_password() -> tuple[str, bool]:
    """SIMPUL_DEMO_PASSWORD when set; otherwise one generated password kept under var/ (0600)."""
    from_env = os.environ.get("SIMPUL_DEMO_PASSWORD")
    if from_env:
        return from_env, False
    path = settings.VAR_DIR / "demo-password"
    if path.exists():
        return path.read_text().strip(), False
    password = secrets.token_urlsafe(12)
    path.write_text(password)
    path.chmod(0o600)
    return password, True


class Command(BaseCommand):
    help = "Load the Kabupaten Lampung Timur demo data and demo users (running it twice changes nothing)."

    def handle(self, *args, **options):
        password, generated = demo_password()
        demo = DemoContext(password=password)
        with context.acting(None, source="demo"), transaction.atomic():
            modules.load_demo(demo)

        self.stdout.write(self.style.SUCCESS(f"Demo: {demo.instansi} (slug {demo.instansi.slug})"))
        if demo.created_users:
            self.stdout.write(f"Pengguna demo dibuat: {', '.join(demo.created_users)}")
        else:
            self.stdout.write("Data demo sudah ada; tidak ada yang diubah.")
        self.stdout.write("Login demo: " + ", ".join(u.username for u in modules.demo_users()))
        if generated:
            self.stdout.write(
                self.style.WARNING(f"Kata sandi demo (dibuat sekali, disimpan di var/demo-password): {password}")
            )
        elif not os.environ.get("SIMPUL_DEMO_PASSWORD"):
            self.stdout.write(f"Kata sandi demo: lihat {settings.VAR_DIR / 'demo-password'}")
        else:
            self.stdout.write("Kata sandi demo: nilai SIMPUL_DEMO_PASSWORD")
