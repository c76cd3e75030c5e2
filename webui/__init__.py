"""harmonize web UI and JSON API (Flask): `create_app`, `check_ready`, `serve`."""

from webui.app import check_ready, create_app, serve

__all__ = ["check_ready", "create_app", "serve"]
