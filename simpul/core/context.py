"""Who is acting and through which request: set once per request, CLI command or job."""

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActorContext:
    user: object | None = None
    ip_address: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    source: str = "system"


_current: ContextVar[ActorContext | None] = ContextVar("simpul_actor", default=None)


def current() -> ActorContext:
    return _current.get() or ActorContext()


@contextlib.contextmanager
def acting(
    user=None, *, source: str = "cli", ip_address: str | None = None, request_id: str | None = None
) -> Iterator[ActorContext]:
    """Run a block as `user` so that its audit entries and log lines name them."""
    context = ActorContext(user=user, ip_address=ip_address, request_id=request_id or uuid.uuid4().hex, source=source)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def set_context(context: ActorContext):
    return _current.set(context)


def reset_context(token) -> None:
    _current.reset(token)


@contextlib.contextmanager
def acting_as(user) -> Iterator[None]:
    """Name `user` in the audit trail when the caller (a job, a script) did not set an actor itself;
    within a request or a command that already named one, nothing changes."""
    base = current()
    if base.user is not None or not getattr(user, "pk", None):
        yield
        return
    with acting(user, source=base.source, ip_address=base.ip_address, request_id=base.request_id):
        yield
