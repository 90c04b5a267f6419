"""Trigram indexes for the free-text search of elements, on PostgreSQL only (see core.search_indexes)."""

from django.db import migrations

from simpul.core.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("architecture", "0003_element_domain_name_index"),
    ]

    operations = [trigram_indexes("architecture_element", ("name", "code", "description"))]
