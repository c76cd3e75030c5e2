"""`harmonize serve` as a user starts it: gunicorn worker processes over the small data dir."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from served import children, get, served


def test_serve_with_two_workers_answers_and_stops_on_sigterm(web_data: Path) -> None:
    with served(web_data, workers=2, ready_path="/api/search?q=cannabis+cultivation&country=IND") as (proc, port):
        status, body = get(f"http://127.0.0.1:{port}/api/search?q=cannabis+cultivation&country=IND")
        assert status == 200
        assert json.loads(body)["results"][0]["country"] == "IND"
        # every request is answered, whichever worker takes it
        for _ in range(6):
            assert get(f"http://127.0.0.1:{port}/countries/CAN")[0] == 200
        assert len(children(proc.pid)) == 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
