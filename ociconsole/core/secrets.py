"""Key passphrases in the OS keyring — never in settings, logs or plain files.

Where no keyring backend exists, `available()` says so and the app asks each session.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
SERVICE = "ociconsole"


def _keyring():
    import keyring
    return keyring


def available() -> bool:
    try:
        kr = _keyring()
        backend = kr.get_keyring()
    except Exception:
        return False
    name = type(backend).__module__ + "." + type(backend).__name__
    if "fail" in name.lower() or "null" in name.lower():
        return False
    try:
        priority = backend.priority
    except Exception:
        return True
    return bool(priority and priority > 0)


def _account(config_path: str, profile: str) -> str:
    return f"passphrase:{config_path}:{profile}"


def get_passphrase(config_path: str, profile: str) -> str | None:
    if not available():
        return None
    try:
        return _keyring().get_password(SERVICE, _account(config_path, profile))
    except Exception as e:
        log.warning("keyring read failed: %s", type(e).__name__)
        return None


def set_passphrase(config_path: str, profile: str, passphrase: str) -> bool:
    if not available():
        return False
    try:
        _keyring().set_password(SERVICE, _account(config_path, profile), passphrase)
        return True
    except Exception as e:
        log.warning("keyring write failed: %s", type(e).__name__)
        return False


def forget_passphrase(config_path: str, profile: str) -> None:
    if not available():
        return
    try:
        _keyring().delete_password(SERVICE, _account(config_path, profile))
    except Exception:
        pass
