"""``postcheck serve``: the app under gunicorn (threaded workers), static files by whitenoise.

Workers are processes (one per core uses every core: the checker is CPU-bound Python);
threads let a worker overlap requests that wait on the database.
"""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.app.base import BaseApplication

log = logging.getLogger("postcheck.web")


def _close_db() -> None:
    # Connections opened in the master (migrate, warm-up) must never be shared with forked workers.
    from django.db import connections

    connections.close_all()


def _pre_fork(server: Any, worker: Any) -> None:  # gunicorn checks hooks' arity
    _close_db()


def _warm(worker: Any) -> None:
    """Compile every school's Checker as a worker starts, so no visitor waits for it."""
    from postcheck.web.core.models import School

    try:
        for school in School.objects.defer("context").iterator():
            school.checker()
    except Exception:  # a missing table must not stop the server; the first request will say why
        log.warning("could not compile the schools' checkers at start-up", exc_info=True)
    finally:
        _close_db()


class PostcheckServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, application: Any, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def gunicorn_options(host: str, port: int, workers: int, threads: int, access_log: bool) -> dict[str, Any]:
    return {
        "bind": bind_address(host, port),
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        "accesslog": "-" if access_log else None,  # request lines only: bodies (drafts) are never logged
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "postcheck",
        "control_socket_disable": True,  # gunicorn 27 would otherwise open a socket in ~/.gunicorn
        "pre_fork": _pre_fork,
        "post_worker_init": _warm,
    }


def serve(host: str, port: int, workers: int, threads: int, access_log: bool) -> None:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    _close_db()
    PostcheckServer(application, gunicorn_options(host, port, workers, threads, access_log)).run()
