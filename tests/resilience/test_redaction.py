"""Redaction output is clean: a secret becomes exactly `[REDACTED]` — no stray brackets such as
`pass_phrase=[REDACTED]]]` — and redacting again (a log line copied into a crash report, a known
secret replaced before the name=value rule runs) changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ociconsole.gui import crash

R = crash.REDACTED
PASSPHRASE = "correct horse battery staple 42"  # with spaces: replaced verbatim as a known secret first


@pytest.fixture
def known_passphrase():
    crash.register_secret(PASSPHRASE)
    yield
    with crash._known_lock:
        crash._KNOWN_SECRETS.discard(PASSPHRASE)


@pytest.mark.parametrize(("line", "want"), [
    (f"boom pass_phrase={PASSPHRASE} raw {PASSPHRASE}", f"boom pass_phrase={R} raw {R}"),
    (f"pass_phrase={R}", f"pass_phrase={R}"),
    (f"pass_phrase={R}] more", f"pass_phrase={R}] more"),  # a bracket that was there stays
    (f"'pass_phrase': '{R}', 'region': 'x'", f"'pass_phrase': '{R}', 'region': 'x'"),
    ("password=[hunter2]", f"password={R}"),
    ("f(passphrase=hunter2)", f"f(passphrase={R})"),
    ("opts[api_key=abcdef]", f"opts[api_key={R}]"),
    ("secret=(abc) next", f"secret={R} next"),
    ("key_content=-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----",
     f"key_content=-----BEGIN PRIVATE KEY----- {R} -----END PRIVATE KEY-----"),
])
def test_redaction_is_clean(known_passphrase, line, want):
    once = crash.redact(line)
    assert once == want
    assert crash.redact(once) == once
    assert crash.redact(crash.redact(once)) == once


def test_log_line_redacted_again_in_a_crash_report(known_passphrase):
    """What the crash report does with a line the log filter has already redacted."""
    line = crash.redact(f"unlock failed: pass_phrase={PASSPHRASE}, key_content={PASSPHRASE}")
    assert line == f"unlock failed: pass_phrase={R}, key_content={R}"
    assert "]]" not in crash.redact(crash.redact(line))


names = st.sampled_from(["pass_phrase", "passphrase", "password", "db_password", "secret", "auth_token",
                         "security_token", "session_token", "key_content", "api_key", "PASSWORD"])
values = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="\"',;)}]["),
                 min_size=4, max_size=30).filter(lambda s: s not in ("None", "null"))
seps = st.sampled_from(["=", ": ", " = ", "="])
quotes = st.sampled_from(["", "'", '"'])


@settings(max_examples=200, deadline=None)
@given(names, seps, quotes, values, st.integers(1, 3))
def test_secret_values_become_one_clean_marker(name, sep, quote, value, passes):
    line = f"before {name}{sep}{quote}{value}{quote} after"
    out = line
    for _ in range(passes):
        out = crash.redact(out)
    assert value not in out
    assert out == f"before {name}{sep}{R} after"
