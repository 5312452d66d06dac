"""Label schema and actor registry files: valid ones load, broken ones say where and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.actors import parse_actor_registry
from annotator.core.errors import SchemaError
from annotator.core.schema import default_schema, load_schema, parse_schema

GOOD = """\
format = 1
name = "Tiny"
version = "2"
actor_types = ["person", "state"]
polarities = ["support", "oppose"]

[[labels]]
name = "ACTOR"
key = "1"
color = "#112233"

[[labels]]
name = "CLAIM"
key = "2"
color = "#445566"

[[issues]]
key = "security"
name = "Security"

[[issues]]
key = "troops"
name = "Troops"
parent = "security"
"""


def test_the_default_schema_is_valid_and_covers_news_stances() -> None:
    schema = default_schema()
    assert [label.key for label in schema.labels] == ["1", "2", "3", "4"]
    assert set(schema.actor_types) == {"person", "organisation", "state", "alliance", "media"}
    assert schema.polarities == ("support", "oppose", "neutral", "mixed")
    troops = schema.issue("foreign-troops")
    assert troops is not None and troops.parent == "security-guarantees"
    for key in ("ceasefire", "territorial-status", "sanctions", "negotiations"):
        assert schema.issue(key) is not None


def test_a_small_schema_loads_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(GOOD, encoding="utf-8")
    schema = load_schema(path)
    assert (schema.name, schema.version) == ("Tiny", "2")
    label = schema.label("CLAIM")
    assert label is not None and label.title == "CLAIM" and label.color == "#445566"
    assert schema.source == GOOD


def error_for(text: str) -> SchemaError:
    with pytest.raises(SchemaError) as caught:
        parse_schema(text, "my-schema.toml")
    return caught.value


def test_a_misspelt_key_is_named_with_its_line_and_a_suggestion() -> None:
    error = error_for(GOOD.replace('color = "#445566"', 'colour = "#445566"'))
    assert str(error) == (
        "my-schema.toml:15: labels[1].colour: unknown key 'colour' (did you mean 'color'?); "
        "known keys: name, title, key, color, description"
    )
    assert "\n" not in str(error)


def test_a_toml_syntax_error_names_the_line() -> None:
    error = error_for(GOOD.replace('name = "Tiny"', 'name = "Tiny'))
    assert error.line == 2
    assert str(error).startswith("my-schema.toml:2: not valid TOML")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'color = "#112233"',
            'color = "blue"',
            "my-schema.toml:10: labels[0].color: must look like",
        ),
        ('key = "2"', 'key = "1"', "labels[1].key: '1' is used twice"),
        ('key = "2"', 'key = "12"', "labels[1].key: must be one letter or digit"),
        ('parent = "security"', 'parent = "securty"', "issues[1].parent: names parent 'securty'"),
        ('version = "2"\n', "", "version: is required"),
        (
            'polarities = ["support", "oppose"]',
            'polarities = ["support", "support"]',
            "polarities: lists 'support' twice",
        ),
        ("format = 1", "format = 2", "format: this Annotator reads format 1, not 2"),
        ('key = "security"', 'key = "Security Issues"', "issues[0].key: must be lowercase"),
    ],
)
def test_invalid_values_are_reported_by_key(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    assert expected in str(error_for(GOOD.replace(old, new, 1)))


def test_an_issue_cycle_is_rejected() -> None:
    text = GOOD.replace(
        'key = "security"\nname = "Security"',
        'key = "security"\nname = "Security"\nparent = "troops"',
    )
    assert "is its own ancestor" in str(error_for(text))


def test_missing_and_non_utf8_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="no such file"):
        load_schema(tmp_path / "nope.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'name = "Caf\xe9"')
    with pytest.raises(SchemaError, match=r"latin\.toml: is not UTF-8 text"):
        load_schema(latin)


REGISTRY = """\
[[actors]]
name = "Russia"
type = "state"
aliases = ["Moscow"]

[[actors]]
name = "Kremlin"
type = "organisation"
parent = "Russia"
"""


def test_actor_registry_loads_with_parents_and_aliases() -> None:
    actors = parse_actor_registry(REGISTRY, "actors.toml", ["state", "organisation"])
    assert [(a.name, a.parent, a.aliases) for a in actors] == [
        ("Russia", None, ("Moscow",)),
        ("Kremlin", "Russia", ()),
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('type = "state"', 'type = "country"', "actors.toml:3: actors[0].type: 'country' is not"),
        ('parent = "Russia"', 'parent = "Rusia"', "actors[1].parent: names parent 'Rusia'"),
        ('name = "Kremlin"', 'name = "Russia"', "actors[1].name: 'Russia' is already actor 0"),
        ('aliases = ["Moscow"]', 'alias = ["Moscow"]', "unknown key 'alias' (did you mean"),
    ],
)
def test_broken_registries_are_reported(old: str, new: str, expected: str) -> None:
    with pytest.raises(SchemaError) as caught:
        parse_actor_registry(REGISTRY.replace(old, new), "actors.toml", ["state", "organisation"])
    assert expected in str(caught.value)
