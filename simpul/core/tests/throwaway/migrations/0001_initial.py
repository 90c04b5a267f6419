# The throwaway module's table. A migration of its own because an app without migrations is created
# before the migrated apps it points to, which PostgreSQL refuses (its foreign key to the OPD table).

import django.db.models.deletion
import simpul.core.models.base
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('organizations', '__first__'),
    ]

    operations = [
        migrations.CreateModel(
            name='Note',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('owner', models.ForeignKey(help_text='The regional department responsible for this record.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.perangkatdaerah', verbose_name='owner OPD')),
            ],
            options={
                'verbose_name': 'throwaway note',
                'verbose_name_plural': 'throwaway notes',
                'ordering': ['title'],
            },
            bases=(simpul.core.models.base.AuditedMixin, simpul.core.models.base.ScopedModelMixin, models.Model),
        ),
    ]
