"""A module that exists only for tests (installed by simpul/tests_settings.py): it proves that a module
is switched on by INSTALLED_APPS alone, through its AppConfig declaration, touching no other file."""
