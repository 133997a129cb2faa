"""Reading the user's YAML: alias bombs, deep nesting, huge numbers and impossible dates are refused
with the file, the place and the fix, by the loader and through every command that reads one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from postcheck import safe_yaml
from postcheck.cli import main
from postcheck.engine import example_school_path

from .hostile import YAML, alias_bomb


@pytest.mark.parametrize("name", YAML)
def test_hostile_yaml_is_refused_with_the_place(name: str) -> None:
    text, message = YAML[name]
    with pytest.raises(safe_yaml.YamlError) as caught:
        safe_yaml.load(text, "school.yaml")
    err = caught.value
    assert message in str(err) and str(err).startswith("school.yaml:")
    assert err.line >= 1 and err.fix  # a place and a fix, never a bare exception


def test_the_bomb_is_named_where_it_crosses_the_limit() -> None:
    with pytest.raises(safe_yaml.YamlError) as caught:
        safe_yaml.load(alias_bomb(9), "s.yaml")
    assert caught.value.line == 9  # l6: 9**7 x 'lol' is the first level over 4 MiB written out


def test_over_the_size_limit() -> None:
    with pytest.raises(safe_yaml.YamlError, match="over the limit of 2,097,152"):
        safe_yaml.load("name: " + "x" * (2 << 20), "s.yaml")


@pytest.mark.parametrize("text", [
    "name: X\na: &a {k: v}\nb: *a\nc: [*a, *a]\n",  # a few aliases are a convenience
    "n: 999999999\nm: -12\nt: 8:30\nd: 2026-09-02\nf: 1.5e3\n",
    '{"name": "X", "aliases": ["a", "b"], "n": 3}',  # JSON is YAML
    "",
])  # fmt: skip
def test_ordinary_yaml_reads_as_safe_load_does(text: str) -> None:
    assert safe_yaml.load(text) == yaml.safe_load(text)


def test_bundled_files_read_unchanged() -> None:
    from importlib import resources

    for text in (resources.files("postcheck.rulebook").joinpath("lancastrian.yaml").read_text("utf-8"),
                 example_school_path().read_text("utf-8")):  # fmt: skip
        assert safe_yaml.load(text) == yaml.safe_load(text)


@pytest.mark.parametrize("option", ["--school", "--policy"])
@pytest.mark.parametrize("name", ["alias bomb, 9 levels", "deep flow nesting", "huge integer", "impossible date"])
def test_cli_names_file_place_and_fix(tmp_path: Path, option: str, name: str) -> None:
    text, message = YAML[name]
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(main, ["check", "--text", "hello", "--role", "staff", option, str(path)])
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)  # not an internal error
    assert f"{path}:" in r.output and message in r.output and "Traceback" not in r.output


def test_scan_workers_read_the_same_way(tmp_path: Path) -> None:
    from postcheck.errors import ConfigError
    from postcheck.parallel import CheckerConfig

    path = tmp_path / "school.yaml"
    path.write_text(alias_bomb(9), encoding="utf-8")
    with pytest.raises(ConfigError, match="once its aliases are expanded"):
        CheckerConfig.from_paths(None, path).build()
