"""Adds the request id and acting user to every log record (structured logs)."""

import logging

from simpul.core import context


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        actor = context.current()
        record.request_id = getattr(record, "request_id", None) or actor.request_id
        if not getattr(record, "user", ""):
            user = actor.user
            record.user = getattr(user, "username", "") if user is not None else ""
        return True
