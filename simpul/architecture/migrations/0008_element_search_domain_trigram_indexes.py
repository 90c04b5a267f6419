"""Trigram indexes led by the domain, for searching one element type (PostgreSQL with btree_gin only).

A typed list (applications, services, ...) searches the elements of its domain. With the trigram indexes
alone PostgreSQL either tested every element of the domain or combined matches from all domains and
then dropped the others: 50-60 ms for "kependudukan" among 18k applications of 100k elements. With the
domain inside the index: 12 ms. See core.search_indexes and docs/benchmarks.md.
"""

from django.db import migrations

from simpul.core.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("architecture", "0007_element_updated_at_index"),
    ]

    operations = [trigram_indexes("architecture_element", ("name", "code", "description"), leading="domain")]
