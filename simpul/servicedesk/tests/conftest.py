"""Fixtures the service desk tests share: the `world` (two instansi, OPDs A1, A2, B1, a user of every role)
with a group per OPD, and a helper opening a ticket as a given user."""

import pytest
from django.utils import translation

from simpul.core import services as core_services
from simpul.servicedesk import services
from simpul.servicedesk.models import AssignmentGroup, Ticket


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def desk(world):
    """The world with an assignment group in each OPD (`world.group_a1`, ...)."""
    for opd, admin in ((world.a1, world.admin_a), (world.a2, world.admin_a), (world.b1, world.admin_b)):
        group = core_services.create_object(admin, AssignmentGroup(opd=opd, name=f"Helpdesk {opd.short_name}"))
        setattr(world, f"group_{opd.short_name.lower()}", group)
    return world


def open_ticket(user, opd, kind="incident", **fields) -> Ticket:
    fields.setdefault("subject", f"Gangguan di {opd.short_name}")
    return services.open_ticket(user, Ticket(instansi=opd.instansi, opd=opd, kind=kind, **fields))
