"""A real S3 protocol server for the tests: moto in server mode on 127.0.0.1.

No MinIO or AWS is reachable here, so moto's server stands in for the S3-compatible store:
it speaks the S3 API over HTTP, so boto3 and the app talk to it exactly as to MinIO or AWS
(what moto does not do: check Content-MD5 headers, which real stores do; the store checks
the ETag itself as well). Started once per test process on a free port, stopped at the end.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

REGION: Final = "eu-north-1"  # Final: boto3 types it as one of the regions it knows


@contextmanager
def s3_server() -> Iterator[str]:
    """An S3 endpoint URL for as long as the block runs."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_options(endpoint: str) -> dict[str, str]:
    """The standard settings, as a deployment sets them in its environment."""
    return {
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": endpoint,
    }


def new_bucket(endpoint: str) -> str:
    """A fresh, empty bucket (one per test: nothing leaks from one test to the next)."""
    import boto3

    name = f"trivsel-{uuid.uuid4().hex[:20]}"
    options = s3_options(endpoint)
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=options["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=options["AWS_SECRET_ACCESS_KEY"],
    ).create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def s3_app_config(endpoint: str) -> dict[str, Any]:
    """App settings that put every stored file in a fresh bucket of the S3 server."""
    return {
        "BLOB_STORE_URL": f"s3://{new_bucket(endpoint)}/trivsel",
        "BLOB_STORE_S3": s3_options(endpoint),
    }
