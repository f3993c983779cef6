"""JSON-lines log output for production log collectors (LOG_FORMAT=json)."""

import datetime as dt
import json
import logging


class JsonLinesFormatter(logging.Formatter):
    FIELDS = ("name", "levelname", "module", "lineno", "process", "thread")

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "message": record.getMessage(),
            **{field: getattr(record, field) for field in self.FIELDS},
        }
        for key in ("status_code", "request_path"):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            payload["path"] = request.path
            payload["method"] = request.method
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)
