"""The count of store faults met under requests, apart from ``server.ops.metrics`` so that the
stores can count without importing the metrics' endpoint (which reads the stores' queues).

It is in the default registry: ``/metrics`` reports it with every other counter.
"""

from __future__ import annotations

from prometheus_client import Counter

# A store that failed under a request: the object store unreachable or full (the request was
# answered 503 or 507), or the sign-in throttle's Redis away (counting in the process).
STORE_FAULTS = Counter(
    "trivsel_store_faults", "Faults of the stores the app depends on.", ["store", "fault"]
)
