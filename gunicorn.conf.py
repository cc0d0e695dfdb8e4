"""gunicorn settings shared by `make run`, the Procfile and the benchmarks."""

import os

from server.ops import gunicorn_hooks as _ops

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# The same workers as gunicorn's own, except that requests gunicorn refuses itself (an
# address over the limit below, too large headers) get the API's JSON error, not HTML.
worker_class = (
    "server.gunicorn_worker.JsonErrorThreadWorker" if threads > 1
    else "server.gunicorn_worker.JsonErrorSyncWorker"
)
# gunicorn's largest bound (the default is 4094): a pull cursor names the scopes it covers.
limit_request_line = 8190
timeout = 60
accesslog = "-" if os.environ.get("ACCESS_LOG") else None
# Tablets upload photos over slow links: keep-alive saves a handshake per request.
keepalive = 5

# Operations (server/ops/gunicorn_hooks.py): the app writes its own access line with the
# request id; gunicorn's lines use the app's log format; metrics from every worker add up.
_ops.metrics_dir()
logconfig_dict = _ops.logconfig(access=accesslog is not None)
on_starting = _ops.on_starting
child_exit = _ops.child_exit
on_exit = _ops.on_exit
# gunicorn's control socket is one path per user: instances on one host would take it from
# each other, and nothing here uses it.
control_socket_disable = True
