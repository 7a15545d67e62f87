from pathlib import Path

import pytest

from boilerclean.cleaners.config import ConfigError, load_config, parse_config

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path, text):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_config_is_only_stages(tmp_path):
    cfg = load_config(write(tmp_path, "stages:\n  - name: fix_encoding\n  - name: filter_empty\n    min_words: 5\n"))
    assert [s.name for s in cfg.stages] == ["fix_encoding", "filter_empty"]
    assert cfg.stages[1].params["min_words"] == 5
    assert cfg.stages[1].params["min_chars"] == 1  # defaults are filled in, so the run is reproducible
    assert cfg.runner.type == "local" and cfg.runner.workers == 1


def test_unknown_stage_names_file_position_and_choices(tmp_path):
    path = write(tmp_path, "stages:\n  - name: fix_encoding\n  - name: remove_adverts\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    msg = str(err.value)
    assert str(path) in msg and "stages.1" in msg and "remove_adverts" in msg and "fix_encoding" in msg


def test_unknown_parameter_is_refused_with_valid_choices(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "stages:\n  - name: filter_empty\n    min_word: 5\n"))
    msg = str(err.value)
    assert "min_word" in msg and "unknown key" in msg and "min_words" in msg


def test_wrong_type_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="min_words"):
        load_config(write(tmp_path, "stages:\n  - name: filter_empty\n    min_words: many\n"))


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("- just a list\n", "top level must be a mapping"),
        ("stages: []\n", "at least one stage"),
        ("stages:\n  - fix_encoding\n", "a stage is a mapping"),
        ("stages:\n  - min_words: 3\n", "needs 'name'"),
        ("stages: [{name: fix_encoding}]\nrunner: {type: slurm}\n", "runner.type"),
        ("stages: [{name: fix_encoding}]\nextra_section: 1\n", "extra_section"),
        ("stages: [\n", "not valid YAML"),
    ],
)
def test_malformed_configs(tmp_path, text, fragment):
    with pytest.raises(ConfigError, match=fragment.replace("[", r"\[")):
        load_config(write(tmp_path, text))


def test_yaml_tags_cannot_construct_objects(tmp_path):
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(write(tmp_path, "stages: !!python/object/apply:os.system ['echo pwned']\n"))


def test_missing_file():
    with pytest.raises(ConfigError, match="cannot read"):
        load_config("/nonexistent/config.yaml")


def test_round_trips_through_json_for_prefect_parameters():
    cfg = parse_config({"stages": [{"name": "filter_empty", "min_words": 2}], "runner": {"workers": 2}})
    again = type(cfg).model_validate_json(cfg.model_dump_json())
    assert again == cfg and again.fingerprint() == cfg.fingerprint()


def test_fingerprint_changes_with_parameters():
    a = parse_config({"stages": [{"name": "filter_empty", "min_words": 2}]})
    b = parse_config({"stages": [{"name": "filter_empty", "min_words": 3}]})
    assert a.fingerprint() != b.fingerprint()


@pytest.mark.parametrize("path", sorted((REPO / "configs").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_configs_validate(path):
    cfg = load_config(path)
    cfg.build_stages()


def test_prefect_yaml_deployment_configs_validate():
    import yaml

    spec = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    for deployment in spec["deployments"]:
        assert deployment["entrypoint"] == "boilerclean.flows.flow:clean_corpus"
        parse_config(deployment["parameters"]["cfg"], "prefect.yaml")
