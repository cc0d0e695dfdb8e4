"""Any S3-compatible store (AWS, MinIO, Ceph, a municipality's own) through boto3.

A PUT is atomic in S3: the object appears whole when the request succeeds, and never in
part. Each PUT carries the MD5 of its body (``Content-MD5``), so the store itself refuses a
body that was damaged on the way; that header is understood by every S3-compatible store,
unlike the newer checksum headers, which boto3 is told to send only where required. The
answer's ETag is compared as well, for stores that do not check the header.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from server.photos.storage.base import ObjectMissing, Stored, StoreError, check_key

if TYPE_CHECKING:
    from types_boto3_s3.client import S3Client

_NOT_FOUND = ("404", "NoSuchKey", "NotFound")


class S3Store:
    """Objects under ``<prefix>/<key>`` in one bucket.

    ``options`` holds the standard settings (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
    ``AWS_DEFAULT_REGION``, ``AWS_ENDPOINT_URL``); unset ones fall back to boto3's own
    defaults (instance roles, ~/.aws). The client is made on first use, so a store made
    before gunicorn forks its workers opens no connection in the parent.
    """

    def __init__(self, bucket: str, prefix: str, options: Mapping[str, str]) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.options = {k: v for k, v in options.items() if v}
        self._client: S3Client | None = None

    @property
    def client(self) -> S3Client:
        if self._client is None:
            import boto3
            from botocore.config import Config

            endpoint = self.options.get("AWS_ENDPOINT_URL")
            config = Config(
                # Path-style addressing for a store at its own address (MinIO, Ceph, moto);
                # AWS itself picks the style.
                s3={"addressing_style": "path" if endpoint else "auto"},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            )
            self._client = boto3.client(
                "s3",
                endpoint_url=endpoint or None,
                region_name=self.options.get("AWS_DEFAULT_REGION") or None,
                aws_access_key_id=self.options.get("AWS_ACCESS_KEY_ID") or None,
                aws_secret_access_key=self.options.get("AWS_SECRET_ACCESS_KEY") or None,
                config=config,
            )
        return self._client

    def _name(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        md5 = hashlib.md5(data, usedforsecurity=False)
        name = self._name(key)
        try:
            answer = self.client.put_object(
                Bucket=self.bucket,
                Key=name,
                Body=data,
                ContentType=content_type,
                ContentMD5=base64.b64encode(md5.digest()).decode("ascii"),
            )
        except Exception as exc:
            raise StoreError(f"could not store {key}: {exc}") from exc
        # A store that ignores Content-MD5 (some emulators do) is caught here: without
        # SSE-KMS or SSE-C encryption the ETag of a single PUT is the MD5 of what it stored.
        plain = answer.get("ServerSideEncryption") in (None, "AES256") and not answer.get(
            "SSECustomerAlgorithm"
        )
        if plain and answer.get("ETag", "").strip('"') != md5.hexdigest():
            self.client.delete_object(Bucket=self.bucket, Key=name)
            raise StoreError(f"the store kept other bytes than were sent for {key}")

    def open(self, key: str) -> Stored:
        name = self._name(key)
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=name)
        except Exception as exc:
            raise _translated(key, exc) from exc
        return Stored(stream=answer["Body"], size=int(answer["ContentLength"]))

    def get(self, key: str) -> bytes:
        stored = self.open(key)
        try:
            return stored.stream.read()
        finally:
            stored.stream.close()

    def has(self, key: str) -> bool:
        name = self._name(key)
        try:
            self.client.head_object(Bucket=self.bucket, Key=name)
        except Exception as exc:
            error = _translated(key, exc)
            if isinstance(error, ObjectMissing):
                return False
            raise error from exc
        return True

    def delete(self, key: str) -> None:
        name = self._name(key)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=name)
        except Exception as exc:
            error = _translated(key, exc)
            if not isinstance(error, ObjectMissing):
                raise error from exc

    def keys(self, prefix: str = "") -> Iterator[str]:
        base = f"{self.prefix}/" if self.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=base + prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][len(base) :]

    def where(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._name(key)}"

    def check(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except Exception as exc:
            raise StoreError(f"the bucket {self.bucket} cannot be reached: {exc}") from exc


def _translated(key: str, exc: Exception) -> StoreError:
    """ObjectMissing for "no such key", StoreError for everything else."""
    response: Any = getattr(exc, "response", None)
    code = str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""
    if code in _NOT_FOUND:
        return ObjectMissing(key)
    return StoreError(f"{key}: {exc}")
