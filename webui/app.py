"""The Flask application: `create_app(data_dir)`, `check_ready(data_dir)`, `serve(...)`.

Read-only, server-rendered pages (blueprint `pages`) and a JSON API under /api (blueprint
`api`), both over one cached `WebData` (webui/data.py) around harmonize.service.Harmonize.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from harmonize import ids
from harmonize.errors import NotFound, NotReady, SearchIndexError, StoreError
from harmonize.service import Harmonize
from webui import helpers
from webui.data import WebData

log = logging.getLogger(__name__)

HINT = "run `make index` (or `harmonize index`) first"


def check_ready(data_dir: str | Path | None = None) -> Harmonize:
    """Open the data directory; raise NotReady (telling to run `make index`) without a store or index."""
    service = Harmonize.open(data_dir)
    try:
        instruments = service.instruments()
    except StoreError as exc:
        raise NotReady(f"cannot serve {service.data}: {exc}; {HINT}") from exc
    if not instruments:
        raise NotReady(f"cannot serve {service.data}: the store holds no instruments; {HINT}")
    try:
        service.search_index()
    except SearchIndexError as exc:
        raise NotReady(f"cannot serve {service.data}: {exc}") from exc
    stale = service.index_stale()
    if stale:
        log.warning("%s", stale)
    return service


def create_app(data_dir: str | Path | None = None, warm: bool = False, check: bool = True) -> Flask:
    """The app over one data directory (default: HARMONIZE_DATA or indexes/).

    `check` runs `check_ready` (NotReady without store or index); `warm` loads the index, the
    embedding model and the alignments now instead of on the first requests.
    """
    service = check_ready(data_dir) if check else Harmonize.open(data_dir)
    app = Flask(__name__)
    app.config.update(JSON_SORT_KEYS=False, MAX_CONTENT_LENGTH=1024 * 16)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["harmonize"] = WebData(service)

    from webui.api import api
    from webui.pages import pages

    app.register_blueprint(pages)
    app.register_blueprint(api, url_prefix="/api")
    from webui import reviews

    reviews.init_app(app, service)  # sign-in, CSRF, reviewer decisions (webui/reviews.py)

    app.jinja_env.filters.update(
        months=helpers.months, percent=helpers.percent, tri=helpers.tri, fine=helpers.fine_text, leaf=ids.leaf,
    )
    app.jinja_env.tests["national"] = ids.is_national
    app.jinja_env.globals.update(highlight=helpers.highlight, snippet=helpers.snippet, lang_attrs=helpers.lang_attrs)

    @app.context_processor
    def inject():
        return {"data": app.extensions["harmonize"]}

    @app.after_request
    def headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    def wants_json() -> bool:
        return request.path.startswith("/api/") or request.path == "/api"

    def error(status: int, message: str):
        if wants_json():
            return jsonify({"error": {"status": status, "message": message}}), status
        return render_template("error.html", status=status, message=message), status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound):
        return error(404, str(exc.args[0]) if exc.args else "not found")

    @app.errorhandler(SearchIndexError)
    def no_index(exc: SearchIndexError):
        return error(503, str(exc))

    @app.errorhandler(StoreError)
    def no_store(exc: StoreError):
        return error(503, str(exc))

    @app.errorhandler(Exception)
    def crash(exc: Exception):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        log.exception("unhandled error on %s", request.path)
        return error(500, InternalServerError.description)

    if warm:
        app.extensions["harmonize"].warm()
    return app


def serve(data_dir: str | Path | None = None, host: str = "127.0.0.1", port: int = 5000, threads: int = 8,
          debug: bool = False, workers: int = 1) -> None:
    """Serve the app on host:port (localhost by default): waitress in this process for one
    worker, gunicorn with `workers` processes otherwise (searches are CPU-bound Python, so
    one process uses one core); the Flask dev server only with debug."""
    if workers > 1 and not debug:
        serve_workers(data_dir, host, port, threads, workers)
        return
    app = warmed_app(data_dir)
    if debug:
        app.run(host=host, port=port, debug=True, use_reloader=False, threaded=True)
        return
    from waitress import serve as waitress_serve

    log.warning("harmonize web UI on http://%s:%d/", host, port)
    waitress_serve(app, host=host, port=port, threads=threads, ident="harmonize")


def warmed_app(data_dir: str | Path | None = None) -> Flask:
    """The app with index and model loaded, the slower caches filling in a background thread."""
    app = create_app(data_dir, warm=True)
    threading.Thread(target=app.extensions["harmonize"].warm, kwargs={"full": True}, daemon=True,
                     name="harmonize-warm").start()
    return app


def serve_workers(data_dir: str | Path | None, host: str, port: int, threads: int, workers: int) -> None:
    """gunicorn, `workers` processes of `threads` threads each sharing the request load."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            options = {"bind": f"{host}:{port}", "workers": workers, "threads": max(1, threads // workers),
                       "worker_class": "gthread", "timeout": 300, "graceful_timeout": 10, "loglevel": "warning",
                       # an idle keep-alive connection is closed after this long; at gunicorn's 2 s a busy
                       # client's next request could meet the close (a reset, not an answer)
                       "keepalive": 15}
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            # Runs in each worker after the fork: torch and FAISS state is not shared across a fork.
            return warmed_app(data_dir)

    log.warning("harmonize web UI on http://%s:%d/ (%d workers)", host, port, workers)
    Server().run()
