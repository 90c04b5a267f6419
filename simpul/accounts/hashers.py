"""The password hasher: Argon2id with the parameters OWASP names as its minimum."""

from django.contrib.auth import hashers


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """19 MiB, two passes, one lane: Django's default (100 MiB, eight lanes) costs memory per concurrent
    sign-in that a 2-core server with many users cannot spare, for little extra strength against
    offline guessing. Hashes with other parameters are updated at the user's next sign-in."""

    time_cost = 2
    memory_cost = 19456
    parallelism = 1
