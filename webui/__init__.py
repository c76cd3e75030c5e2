"""harmonize web UI and JSON API (Flask): `create_app`, `check_ready`, `serve`."""

from webui.app import NotReady, check_ready, create_app, serve

__all__ = ["NotReady", "check_ready", "create_app", "serve"]
