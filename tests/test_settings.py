"""Settings are data: every one is documented, and each source of values overrides the one before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from foedus.errors import ConfigError
from foedus.settings import SETTINGS, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"FOEDUS_{s.name.upper()}" not in readme]
    assert missing == [], f"settings missing from README.md: {missing}"


def test_precedence_defaults_file_env_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOEDUS_PORT", raising=False)
    monkeypatch.chdir(tmp_path)
    assert load_settings().port == 8000
    config = tmp_path / "foedus.toml"
    config.write_text("port = 9000\nquery_timeout = 3\n", encoding="utf-8")
    assert load_settings(config_file=config).port == 9000
    assert load_settings(config_file=config).query_timeout == 3.0
    monkeypatch.setenv("FOEDUS_PORT", "9100")
    assert load_settings(config_file=config).port == 9100
    assert load_settings({"port": 9200}, config_file=config).port == 9200


def test_bad_value_names_the_setting_and_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOEDUS_PORT", "eighty")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert err.value.where == "FOEDUS_PORT"
    assert "'port' must be int" in err.value.message


def test_unknown_setting_in_config_file_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "foedus.toml"
    config.write_text("prot = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(config_file=config)
    assert err.value.where == str(config)
    assert "unknown setting 'prot'" in err.value.message


def test_broken_config_file_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "foedus.toml"
    config.write_text("port = = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(config_file=config)
    assert "not valid TOML" in err.value.message
