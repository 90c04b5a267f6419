from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models.base import OwnedModel


class Note(OwnedModel):
    """A note of one OPD: the smallest owned record a module can have."""

    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = "throwaway note"
        verbose_name_plural = "throwaway notes"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
