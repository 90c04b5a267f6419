from django.apps import AppConfig

from simpul.core.modules import NavEntry, SimpulModule
from simpul.core.permissions import ALL, VIEW
from simpul.core.search import SearchProvider


class ThrowawayConfig(SimpulModule, AppConfig):
    """Notes kept per OPD: operators keep their own OPD's, auditors read the instansi's; no one else."""

    name = "simpul.core.tests.throwaway"
    label = "throwaway"
    verbose_name = "Throwaway notes module"
    default_auto_field = "django.db.models.BigAutoField"

    order = 50
    navigation = (NavEntry("Throwaway notes", "throwaway:note_list", "throwaway.note"),)
    grants = {
        "operator_opd": {"throwaway.note": ALL},
        "auditor": {"throwaway.*": VIEW},
    }
    urls = "simpul.core.tests.throwaway.urls"
    url_prefix = "throwaway-notes/"
    api_urls = "simpul.core.tests.throwaway.api"
    search_providers = (
        SearchProvider(
            "throwaway.Note",
            "simpul.core.tests.throwaway.views.NoteFilterSet",
            list_url="throwaway:note_list",
            detail="owner",
            select_related=("owner",),
        ),
    )
