"""A WSGI app served on a thread on 127.0.0.1, for apps and fakes a test talks to over real
HTTP without a gunicorn process (a local identity provider's relying party, a fake
Serviceplatformen)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import make_server


class ThreadedWsgi:
    """What is served; ``app`` may be set once ``url`` is known (an app whose PUBLIC_URL is
    its own address)."""

    def __init__(self, app: Any = None) -> None:
        self.app = app
        self.url = ""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        assert self.app is not None, "served before its app was set"
        answer: Iterable[bytes] = self.app(environ, start_response)
        return answer


@contextmanager
def served_on_thread(app: Any = None, port: int = 0) -> Iterator[ThreadedWsgi]:
    """Serve ``app`` (or the one set on the yielded object) until the block ends."""
    served = ThreadedWsgi(app)
    server = make_server("127.0.0.1", port, served, threaded=True)
    served.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
