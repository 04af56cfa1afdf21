"""The broker URL: checked, masked wherever it is shown, its password from the environment, TLS passed through."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from station.cluster.config import (
    ClusterConfig,
    ClusterUrlError,
    celery_settings,
    cluster_config,
    mask_url,
)

SECRET = "mật khẩu/bí@mật"


def test_the_password_is_masked_in_every_form() -> None:
    assert mask_url("redis://:s3cr3t@redis.phuong.local:6379/0") == "redis://:***@redis.phuong.local:6379/0"
    assert mask_url("rediss://trạm:s3cr3t@10.0.0.5/2") == "rediss://trạm:***@10.0.0.5/2"
    assert mask_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    assert mask_url("redis://:s3cr3t@host:notaport/0") == "<broker URL>"
    config = ClusterConfig("redis://:s3cr3t@host:6379/0")
    assert "s3cr3t" not in repr(config) and "s3cr3t" not in str(config) and "***" in config.masked_url


def test_a_password_from_the_environment_is_quoted_into_the_url() -> None:
    config = cluster_config("redis://10.0.0.5:6379/1", {"STATION_REDIS_PASSWORD": SECRET})
    from kombu.utils.url import url_to_parts

    assert url_to_parts(config.broker_url).password == SECRET  # what Celery's transport will send to Redis
    assert SECRET not in config.masked_url
    given = cluster_config("redis://:trong-url@10.0.0.5:6379/1", {"STATION_REDIS_PASSWORD": SECRET})
    assert "trong-url" in given.broker_url  # the URL's own password wins


@pytest.mark.parametrize("url", ["http://host:6379/0", "redis://", "amqp://khách:mật@host//", "redis://host:99999/0"])
def test_only_redis_urls_are_taken(url: str) -> None:
    with pytest.raises(ClusterUrlError) as refused:
        cluster_config(url, {})
    assert "mật" not in str(refused.value)
    assert "redis://" in refused.value.user_message


def test_the_reliability_settings_and_tls() -> None:
    settings = celery_settings(ClusterConfig("redis://host/0", visibility_timeout_s=90))
    assert settings["task_acks_late"] and settings["task_reject_on_worker_lost"]
    assert settings["worker_prefetch_multiplier"] == 1
    assert settings["broker_transport_options"]["visibility_timeout"] == 90
    assert settings["accept_content"] == ["json"]  # never a pickle from a shared Redis
    assert "broker_use_ssl" not in settings
    tls = celery_settings(cluster_config("rediss://:x@host:6380/0", {"STATION_REDIS_CA": "/etc/trạm/ca.pem"}))
    for key in ("broker_use_ssl", "redis_backend_use_ssl"):
        assert tls[key] == {"ssl_cert_reqs": ssl.CERT_REQUIRED, "ssl_ca_certs": str(Path("/etc/trạm/ca.pem"))}
