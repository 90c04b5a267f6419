"""Trigram indexes for searching OPDs by name and short name, on PostgreSQL only.

Every element search also looks up the OPDs whose name matches the term (an element matches through its
owner); with ~15,000 OPDs in a national deployment that lookup read the whole table (17 ms per search).
"""

from django.db import migrations

from simpul.core.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
    ]

    operations = [trigram_indexes("organizations_perangkatdaerah", ("name", "short_name"))]
