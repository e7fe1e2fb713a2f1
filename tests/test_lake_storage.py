"""The S3 secret of a lake's data files comes from the standard AWS variables."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.lake_storage import (
    S3CredentialsMissing,
    configure_lake_storage,
    is_s3,
    s3_secret_sql,
)

KEYS = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalr/EXAMPLEKEY"}


def test_plain_aws_credentials_use_duckdbs_defaults() -> None:
    sql = s3_secret_sql(KEYS)
    assert sql == ("CREATE OR REPLACE SECRET newswire_lake_s3 (TYPE s3,"
                   " KEY_ID 'AKIDEXAMPLE', SECRET 'wJalr/EXAMPLEKEY')")


def test_token_region_and_scope() -> None:
    sql = s3_secret_sql({**KEYS, "AWS_SESSION_TOKEN": "tok", "AWS_DEFAULT_REGION": "eu-west-3"},
                        scope="s3://bucket")
    assert "SESSION_TOKEN 'tok'" in sql
    assert "REGION 'eu-west-3'" in sql
    assert sql.endswith("SCOPE 's3://bucket')")


def test_aws_region_wins_over_the_default_region() -> None:
    sql = s3_secret_sql({**KEYS, "AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "eu-west-3"})
    assert "REGION 'us-west-2'" in sql and "eu-west-3" not in sql


@pytest.mark.parametrize(("url", "endpoint", "ssl"), [
    ("http://127.0.0.1:9000", "127.0.0.1:9000", "false"),
    ("https://minio.example.org/", "minio.example.org", "true"),
])
def test_a_custom_endpoint_is_path_style_and_its_scheme_decides_ssl(
        url: str, endpoint: str, ssl: str) -> None:
    sql = s3_secret_sql({**KEYS, "AWS_ENDPOINT_URL": url})
    assert f"ENDPOINT '{endpoint}'" in sql
    assert "URL_STYLE 'path'" in sql
    assert f"USE_SSL {ssl}" in sql


def test_the_s3_endpoint_wins_over_the_general_one() -> None:
    sql = s3_secret_sql({**KEYS, "AWS_ENDPOINT_URL": "http://general:1",
                         "AWS_ENDPOINT_URL_S3": "https://s3only:2"})
    assert "ENDPOINT 's3only:2'" in sql and "general" not in sql


@pytest.mark.parametrize("url", ["127.0.0.1:9000", "ftp://host", "http://host/prefix",
                                 "http://user:pw@host"])
def test_a_malformed_endpoint_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="S3 endpoint"):
        s3_secret_sql({**KEYS, "AWS_ENDPOINT_URL_S3": url})


def test_values_are_escaped_and_duckdb_accepts_the_statement() -> None:
    env = {"AWS_ACCESS_KEY_ID": "it's", "AWS_SECRET_ACCESS_KEY": "x'); DROP TABLE t; --",
           "AWS_REGION": "r'1", "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9"}
    con = duckdb.connect()
    configure_lake_storage(con, "s3://bucket/lake/", env)
    row = con.execute("SELECT type, secret_string FROM duckdb_secrets()"
                      " WHERE name = 'newswire_lake_s3'").fetchone()
    assert row is not None and row[0] == "s3"
    assert "key_id=it's" in row[1] and "region=r'1" in row[1]
    assert "endpoint=127.0.0.1:9" in row[1] and "use_ssl=false" in row[1]


@pytest.mark.parametrize(("env", "named"), [
    ({}, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
    ({"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": " "}, "needs AWS_SECRET_ACCESS_KEY in"),
    ({"AWS_SECRET_ACCESS_KEY": "b"}, "needs AWS_ACCESS_KEY_ID in"),
])
def test_missing_credentials_name_the_variables(env: dict[str, str], named: str) -> None:
    with pytest.raises(S3CredentialsMissing, match=named):
        s3_secret_sql(env)
    with pytest.raises(S3CredentialsMissing, match=named):
        configure_lake_storage(duckdb.connect(), "s3://bucket/lake/", env)


def test_local_data_needs_no_credentials() -> None:
    con = duckdb.connect()
    configure_lake_storage(con, "/srv/lake/data/", {})
    assert not is_s3("/srv/lake/data/") and is_s3("s3://b/lake/")
    assert con.execute("SELECT count(*) FROM duckdb_secrets()").fetchone() == (0,)
