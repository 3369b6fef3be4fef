"""core.config.choose_start: what the console connects to at start-up.

--demo > --config-file/--profile > OCI_CLI_CONFIG_FILE/OCI_CLI_PROFILE > the remembered connection > DEFAULT.
"""

from __future__ import annotations

from pathlib import Path

from ociconsole.core import config as C


def _config(path: Path, *profiles: str) -> Path:
    path.write_text("".join(f"[{p}]\nregion = us-ashburn-1\n\n" for p in profiles))
    return path


def test_remembered_demo_is_used_when_nothing_is_named(clean_oci_env, tmp_path):
    (clean_oci_env / ".oci").mkdir()
    _config(clean_oci_env / ".oci" / "config", "DEFAULT")
    assert C.choose_start(last="demo", env={}) == C.StartChoice("demo")
    assert C.choose_start(demo=True, config_file=str(tmp_path / "x"), last="", env={}).kind == "demo"


def test_environment_config_file_wins_over_the_remembered_demo(tmp_path):
    cfg = _config(tmp_path / "cfg", "DEFAULT", "WORK")
    choice = C.choose_start(last="demo", env={"OCI_CLI_CONFIG_FILE": str(cfg)})
    assert choice == C.StartChoice("profile", cfg, "DEFAULT")


def test_environment_profile_wins_over_the_remembered_demo(clean_oci_env):
    (clean_oci_env / ".oci").mkdir()
    cfg = _config(clean_oci_env / ".oci" / "config", "DEFAULT", "WORK")
    choice = C.choose_start(last="demo", env={"OCI_CLI_PROFILE": "WORK"})
    assert choice == C.StartChoice("profile", cfg, "WORK")


def test_environment_profile_wins_over_the_remembered_profile(tmp_path):
    cfg = _config(tmp_path / "cfg", "DEFAULT", "WORK", "HOME")
    env = {"OCI_CLI_CONFIG_FILE": str(cfg), "OCI_CLI_PROFILE": "HOME"}
    assert C.choose_start(last=f"{cfg}|WORK", env=env).profile == "HOME"
    # without the variable the profile used last time with this file comes back
    assert C.choose_start(last=f"{cfg}|WORK", env={"OCI_CLI_CONFIG_FILE": str(cfg)}).profile == "WORK"
    # remembered with another file: not applied
    assert C.choose_start(last=f"{tmp_path / 'other'}|WORK", env={"OCI_CLI_CONFIG_FILE": str(cfg)}).profile == \
        "DEFAULT"


def test_command_line_wins_over_the_environment(tmp_path):
    env_cfg = _config(tmp_path / "env-cfg", "DEFAULT", "ENVP")
    cli_cfg = _config(tmp_path / "cli-cfg", "DEFAULT", "CLIP")
    env = {"OCI_CLI_CONFIG_FILE": str(env_cfg), "OCI_CLI_PROFILE": "ENVP"}
    assert C.choose_start(config_file=str(cli_cfg), profile="CLIP", last="demo", env=env) == \
        C.StartChoice("profile", cli_cfg, "CLIP")
    assert C.choose_start(config_file=str(cli_cfg), last="demo", env=env) == C.StartChoice("profile", cli_cfg, "ENVP")
    assert C.choose_start(profile="CLIP", last=f"{env_cfg}|DEFAULT", env=env) == \
        C.StartChoice("profile", env_cfg, "CLIP")


def test_a_named_config_file_that_does_not_exist_opens_the_first_run(tmp_path):
    missing = tmp_path / "nope"
    assert C.choose_start(last="demo", env={"OCI_CLI_CONFIG_FILE": str(missing)}) == \
        C.StartChoice("first_run", missing)
    assert C.choose_start(config_file=str(missing), last="demo", env={}) == C.StartChoice("first_run", missing)


def test_nothing_named_nothing_remembered(clean_oci_env):
    assert C.choose_start(env={}).kind == "first_run"
    (clean_oci_env / ".oci").mkdir()
    cfg = _config(clean_oci_env / ".oci" / "config", "DEFAULT")
    assert C.choose_start(env={}) == C.StartChoice("profile", cfg, "DEFAULT")


def test_reads_the_process_environment(monkeypatch, tmp_path):
    cfg = _config(tmp_path / "cfg", "DEFAULT", "WORK")
    monkeypatch.setenv("OCI_CLI_CONFIG_FILE", str(cfg))
    monkeypatch.setenv("OCI_CLI_PROFILE", "WORK")
    assert C.choose_start(last="demo") == C.StartChoice("profile", cfg, "WORK")
