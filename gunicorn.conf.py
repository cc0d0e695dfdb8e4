"""gunicorn settings shared by `make run`, the Procfile and the benchmarks."""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 60
accesslog = "-" if os.environ.get("ACCESS_LOG") else None
# Tablets upload photos over slow links: keep-alive saves a handshake per request.
keepalive = 5
