"""S3 credentials of a lake's data files, from the standard AWS environment variables.

DuckDB's `credential_chain` secret provider lives in the `aws` extension, which has no
package on the registry and cannot be installed offline, so the secret is written out from
the variables instead: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_REGION (else AWS_DEFAULT_REGION), and AWS_ENDPOINT_URL_S3 (else AWS_ENDPOINT_URL) for an
S3-compatible server such as MinIO: its scheme decides TLS, and it is addressed path-style
(`host/bucket/key`), since such servers rarely resolve `bucket.host` names.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import duckdb

from warehouse.extensions import load_extensions
from warehouse.sql_text import sql_string

SECRET_NAME = "newswire_lake_s3"


class S3CredentialsMissing(ValueError):
    """s3:// lake data without the AWS variables that give access to it."""


def is_s3(data_path: str) -> bool:
    return data_path.startswith("s3://")


def _first(env: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return value
    return None


def _endpoint(url: str) -> tuple[str, bool]:
    """(host[:port], use_ssl) of an endpoint URL such as http://127.0.0.1:9000."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"the S3 endpoint {url!r} is not an http:// or https:// URL")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"the S3 endpoint {url!r} has a path; give only scheme://host[:port]")
    if parts.username or parts.password:
        raise ValueError("the S3 endpoint URL carries credentials; use AWS_ACCESS_KEY_ID"
                         " and AWS_SECRET_ACCESS_KEY instead")
    return parts.netloc, parts.scheme == "https"


def s3_secret_sql(env: Mapping[str, str], *, scope: str | None = None) -> str:
    """`CREATE OR REPLACE SECRET` for DuckDB's httpfs from the AWS variables in `env`.

    The secret is temporary (this connection's DuckDB instance only). `scope`, such as
    `s3://bucket`, limits it to paths under that prefix."""
    key_id = _first(env, "AWS_ACCESS_KEY_ID")
    secret = _first(env, "AWS_SECRET_ACCESS_KEY")
    missing = [name for name, value in (("AWS_ACCESS_KEY_ID", key_id),
                                        ("AWS_SECRET_ACCESS_KEY", secret)) if value is None]
    if missing:
        raise S3CredentialsMissing(
            f"s3:// lake data needs {' and '.join(missing)} in the environment (with"
            " AWS_SESSION_TOKEN for temporary credentials, AWS_REGION, and"
            " AWS_ENDPOINT_URL_S3 for an S3-compatible server)")
    assert key_id is not None and secret is not None
    options = ["TYPE s3", f"KEY_ID {sql_string(key_id)}", f"SECRET {sql_string(secret)}"]
    token = _first(env, "AWS_SESSION_TOKEN")
    if token is not None:
        options.append(f"SESSION_TOKEN {sql_string(token)}")
    region = _first(env, "AWS_REGION", "AWS_DEFAULT_REGION")
    if region is not None:
        options.append(f"REGION {sql_string(region)}")
    endpoint_url = _first(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
    if endpoint_url is not None:
        host, use_ssl = _endpoint(endpoint_url)
        options += [f"ENDPOINT {sql_string(host)}", "URL_STYLE 'path'",
                    f"USE_SSL {'true' if use_ssl else 'false'}"]
    if scope is not None:
        options.append(f"SCOPE {sql_string(scope)}")
    return f"CREATE OR REPLACE SECRET {SECRET_NAME} ({', '.join(options)})"


def configure_lake_storage(con: duckdb.DuckDBPyConnection, data_path: str,
                           env: Mapping[str, str]) -> None:
    """Give `con` access to the lake's data files: for s3:// data, load httpfs and create
    the secret from `env`; a local directory needs nothing."""
    if not is_s3(data_path):
        return
    statement = s3_secret_sql(env)  # before loading anything: missing variables fail first
    load_extensions(con, "httpfs")
    con.execute(statement)
