"""The pipeline configuration: one validated model, read from YAML with ``yaml.safe_load``.

Every problem is reported before any work starts, as ``ConfigError`` naming the file, the key
path and the valid choices, because a typo found after an hour of processing is an hour lost.
The model is also the Prefect flow parameter, so it must round-trip through JSON.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from boilerclean.cleaners.catalog import STAGES, stage_class
from boilerclean.cleaners.resources import resolve_config


class ConfigError(ValueError):
    """A configuration the pipeline refuses to run; the message says where and what to do."""


def _describe(err: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in err["loc"]) or "(top level)"
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    return f"{where}: {msg}"


class StageSpec(BaseModel):
    """One entry of ``stages:``: ``{name: <stage>, <param>: <value>, ...}``, checked against the stage."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _flat_form(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError(f"a stage is a mapping like {{name: fix_encoding}}, got {type(data).__name__}")
        if "name" not in data:
            raise ValueError(f"a stage needs 'name', one of: {', '.join(STAGES)}")
        name = data["name"]
        if name not in STAGES:
            raise ValueError(f"unknown stage {name!r}; valid stages: {', '.join(STAGES)}")
        params = data["params"] if set(data) == {"name", "params"} else {k: v for k, v in data.items() if k != "name"}
        params_cls = stage_class(name).Params
        try:
            checked = params_cls.model_validate(params or {})
        except ValidationError as exc:
            valid = ", ".join(params_cls.model_fields) or "(none)"
            problems = "; ".join(_describe(e) for e in exc.errors())
            raise ValueError(f"stage {name!r}: {problems} (parameters of {name}: {valid})") from None
        return {"name": name, "params": checked.model_dump(mode="json")}

    def build(self):
        """Instantiate the stage with its validated parameters."""
        cls = stage_class(self.name)
        return cls(cls.Params.model_validate(self.params))


class InputConfig(BaseModel):
    """Where documents come from and how records map onto documents."""

    model_config = ConfigDict(extra="forbid")

    paths: list[str] = Field(default_factory=list, description="files or directories, walked recursively")
    text_field: str = Field("text", description="JSONL/CSV/parquet field holding plain text")
    html_field: str = Field("html", description="JSONL/CSV/parquet field holding an HTML page")
    id_field: str = Field("id", description="field holding the document id (else derived from file and line)")
    follow_symlinks: bool = Field(False, description="follow symlinks that point outside the input root")
    csv_delimiter: str | None = Field(
        None, min_length=1, max_length=1, description="CSV field separator; default ',' for .csv, tab for .tsv"
    )
    max_doc_bytes: int = Field(
        50_000_000,
        ge=1,
        description="largest record (JSONL line, text+html characters, file, WARC body) read; larger ones are "
        "rejected as read:too_large instead of holding them in memory",
    )
    max_file_bytes: int = Field(
        10_000_000_000,
        ge=1,
        description="decompressed bytes one .gz/.zst file may expand to (a Common Crawl WARC is ~5 GB); the "
        "rest of a file past it is rejected as read:too_large, which stops compression bombs",
    )


class OutputConfig(BaseModel):
    """Where the clean and rejected parts and the report go."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    path: str | None = None
    explain: bool = Field(False, description="keep each document's removals in metadata.removals")
    format: Literal["jsonl", "jsonl.gz", "parquet"] = Field(
        "jsonl", description="clean part format; jsonl.gz: ~2.5x smaller, slower to write; parquet needs pyarrow"
    )
    record_schema: Literal["boilerclean", "datatrove", "dolma"] = Field(
        "boilerclean",
        alias="schema",
        description="clean record layout: boilerclean {id,text,title,url,sentences,metadata}, "
        "datatrove {text,id,metadata}, dolma {id,text,source,added,created,metadata}",
    )
    source: str | None = Field(None, description="dolma 'source'; default: the record's own source, else 'boilerclean'")
    added: str | None = Field(
        None, description="dolma 'added' timestamp (ISO 8601); a fixed option, not the clock, so output is reproducible"
    )
    row_group_rows: int = Field(10_000, ge=1, description="parquet rows per row group: memory per writer vs scan speed")

    @field_validator("format")
    @classmethod
    def _parquet_installed(cls, value: str) -> str:
        import importlib.util

        if value == "parquet" and importlib.util.find_spec("pyarrow") is None:
            raise ValueError("format 'parquet' needs pyarrow: pip install pyarrow")
        return value


class ShardConfig(BaseModel):
    """How inputs are cut into units of work: one Prefect task run per shard."""

    model_config = ConfigDict(extra="forbid")

    max_bytes: int = Field(32_000_000, ge=1, description="input bytes per shard; big JSONL files are sliced")


class RunnerConfig(BaseModel):
    """Which Prefect task runner executes the shards."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["local", "dask", "ray"] = "local"
    workers: int = Field(1, ge=1, le=1024, description="parallel shard workers (processes)")
    address: str | None = Field(None, description="existing Dask scheduler / Ray cluster address")


class LimitsConfig(BaseModel):
    """Per-document safety limits, enforced by a killable worker around each shard pass."""

    model_config = ConfigDict(extra="forbid")

    stage_timeout_s: float = Field(
        60.0, ge=0, description="seconds one document may spend in one stage (a stage's own timeout_s wins); 0: none"
    )
    isolate: bool = Field(
        True, description="run each shard pass in a child process the runner can kill; off: faster, no time limits"
    )


class PipelineConfig(BaseModel):
    """A whole run: the ordered stages and, optionally, input, output, sharding and runner."""

    model_config = ConfigDict(extra="forbid")

    stages: list[StageSpec]
    input: InputConfig = Field(default_factory=InputConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    shard: ShardConfig = Field(default_factory=ShardConfig)
    runner: RunnerConfig = Field(default_factory=RunnerConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)

    @field_validator("stages")
    @classmethod
    def _not_empty(cls, stages: list[StageSpec]) -> list[StageSpec]:
        if not stages:
            raise ValueError("at least one stage is needed")
        return stages

    def build_stages(self):
        return [spec.build() for spec in self.stages]

    def passes(self) -> int:
        """How many passes over the shards the chain needs (one, plus one per corpus stage after the first
        stage), known from the stage classes alone: the orchestrator never has to build (load) the stages."""
        from boilerclean.cleaners.stage import CorpusStage

        corpus = [issubclass(stage_class(s.name), CorpusStage) for s in self.stages]
        return 1 + sum(corpus[1:])

    def fingerprint(self) -> str:
        """A short hash of what decides the output bytes (stages, input mapping, output layout), for
        incremental runs and reports: runs with different fingerprints never share an output folder's parts."""
        decisive = {
            "stages": [s.model_dump() for s in self.stages],
            "input": self.input.model_dump(),
            "output": self.output.model_dump(exclude={"path"}),
        }
        return hashlib.sha256(json.dumps(decisive, sort_keys=True).encode()).hexdigest()[:16]


def parse_config(data: Any, source: str = "<config>") -> PipelineConfig:
    """Validate an already-parsed mapping; errors name ``source`` and the key path."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the top level must be a mapping with a 'stages:' list")
    try:
        return PipelineConfig.model_validate(data)
    except ValidationError as exc:
        problems = "\n".join(f"  {_describe(e)}" for e in exc.errors())
        raise ConfigError(f"{source}: invalid configuration\n{problems}") from None


def load_config(path: str | Path) -> PipelineConfig:
    """Read and validate a YAML config (``yaml.safe_load``: no tags, no object construction).

    ``path`` is a file, or the name of a shipped config (``news-text``) when no such file exists.
    """
    path = resolve_config(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    return parse_config(data, str(path))
