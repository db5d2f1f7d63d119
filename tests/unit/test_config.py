"""Deployment configuration: CORS pinned to our origin, production refuses the default secret,
Redis turns on the Redis state manager."""

from __future__ import annotations

import importlib

import pytest

from community_app.settings import Settings, reset_settings


def _load_rxconfig(monkeypatch, **env):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    reset_settings()
    import rxconfig

    return importlib.reload(rxconfig).config


def test_cors_is_pinned_to_the_app_origin(monkeypatch):
    config = _load_rxconfig(monkeypatch, APP_ORIGIN="https://linli.example.cn")
    assert "*" not in config.cors_allowed_origins
    assert "https://linli.example.cn" in config.cors_allowed_origins


def test_redis_url_selects_the_redis_state_manager(monkeypatch):
    config = _load_rxconfig(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    assert config.redis_url == "redis://127.0.0.1:6379/0"
    assert str(config.state_manager_mode).endswith("redis")
    monkeypatch.delenv("REDIS_URL")
    reset_settings()


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.setenv("APP_ENV", "prod")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError):
        Settings().check()
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-value-123")
    monkeypatch.setenv("SMS_BACKEND", "my_sms.adapter:Sender")
    monkeypatch.setenv("STAFF_TOTP", "required")
    monkeypatch.delenv("SMS_OUTBOX_FILE", raising=False)
    Settings().check()


def test_one_worker_keeps_tab_state_in_memory_unless_disk_is_asked(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("STATE_MANAGER", raising=False)
    assert str(_load_rxconfig(monkeypatch).state_manager_mode).endswith("memory")
    assert str(_load_rxconfig(monkeypatch, STATE_MANAGER="disk").state_manager_mode).endswith("disk")
    assert str(_load_rxconfig(monkeypatch, STATE_MANAGER="nonsense").state_manager_mode).endswith("memory")
    monkeypatch.delenv("STATE_MANAGER")
    reset_settings()


@pytest.mark.parametrize("env", [
    {"SMS_BACKEND": "console"},  # sign-up codes in the log
    {"SMS_OUTBOX_FILE": "/tmp/outbox"},  # the tests' window on the codes
    {"STAFF_TOTP": "off"},  # staff without their second factor
])
def test_production_refuses_test_only_settings(monkeypatch, env):
    monkeypatch.setenv("APP_ENV", "prod")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-value-123")
    monkeypatch.setenv("SMS_BACKEND", "my_sms.adapter:Sender")
    monkeypatch.setenv("STAFF_TOTP", "required")
    monkeypatch.delenv("SMS_OUTBOX_FILE", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(RuntimeError):
        Settings().check()


def test_trusted_proxy_hops_reaches_reflex(monkeypatch):
    config = _load_rxconfig(monkeypatch, TRUSTED_PROXY_HOPS="1")
    assert config.trusted_proxy_hops == 1
    monkeypatch.delenv("TRUSTED_PROXY_HOPS")
    reset_settings()
