"""`simpul twofactor reset USERNAME`: for a user who lost their authenticator device."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from simpul.accounts import twofactor
from simpul.core import context


class Command(BaseCommand):
    help = (
        "reset USERNAME: remove the user's two-factor authenticator and end their sessions and API tokens "
        "(they lost the device); they then sign in with the password and should turn two-factor on again."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reset"])
        parser.add_argument("username")

    def handle(self, *args, action: str, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna '{username}' tidak ditemukan.")
        with context.acting(None, source="cli"):
            ended = twofactor.reset(user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Autentikasi dua faktor '{username}' direset; {ended} sesi diakhiri. "
                "Minta pengguna segera mengaktifkannya kembali."
            )
        )
