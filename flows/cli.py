"""``boilerclean``: the command line. Exit codes: 0 done, 1 failed, 2 bad configuration or usage,
130/143 stopped by SIGINT/SIGTERM (the output is resumable), 141 the reader of stdout went away.

Prefect is imported only by ``run`` and ``serve``: ``clean``, ``stages`` and ``validate`` answer
in well under a second because they never touch the orchestrator.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from boilerclean.cleaners.config import ConfigError, PipelineConfig, load_config
from boilerclean.cleaners.resources import resolve_config

if TYPE_CHECKING:
    from boilerclean.flows.embedded import EmbeddedServer

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # what a tool killed by SIGPIPE reports, as `yes | head` does
EPHEMERAL_IDLE_SERVICES = (
    "CANCELLATION_CLEANUP",
    "DB_VACUUM",
    "FOREMAN",
    "LATE_RUNS",
    "SCHEDULER",
    "PAUSE_EXPIRATIONS",
    "REPOSSESSOR",
    "CLEANUP_RECONCILER",
    "TRIGGERS",
    "EVENT_LOGGER",
)


def _prefect_env() -> None:
    """Quiet, offline-safe Prefect defaults; anything the user set wins."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    if not os.environ.get("PREFECT_API_URL"):
        # The embedded server lives for one run: its schedulers, sweepers and triggers have nothing
        # to do and only compete with the run for the CPU while it starts.
        for service in EPHEMERAL_IDLE_SERVICES:
            os.environ.setdefault(f"PREFECT_SERVER_SERVICES_{service}_ENABLED", "false")


def _default_config(for_html: bool) -> Path:
    return resolve_config("news-html" if for_html else "news-text")


def _apply_overrides(cfg: PipelineConfig, args: argparse.Namespace) -> PipelineConfig:
    runner = cfg.runner.model_copy(
        update={
            k: v
            for k, v in {"type": args.runner, "workers": args.workers, "address": args.address}.items()
            if v is not None
        }
    )
    output = cfg.output.model_copy(update={"explain": True} if args.explain else {})
    shard = cfg.shard.model_copy(update={"max_bytes": int(args.shard_mb * 1e6)} if args.shard_mb else {})
    return cfg.model_copy(update={"runner": runner, "output": output, "shard": shard})


def _inputs_output(cfg: PipelineConfig, args: argparse.Namespace) -> tuple[list[str], str | None]:
    """Inputs and output from the command line, else from the config; says what is missing."""
    inputs, output = args.input or cfg.input.paths, args.output or cfg.output.path
    if not inputs or not output:
        print(
            f"boilerclean {args.command}: give --input and --output (or input.paths / output.path in the config)",
            file=sys.stderr,
        )
    return inputs, output


def cmd_run(args: argparse.Namespace) -> int:
    _prefect_env()
    from boilerclean.flows.embedded import start_embedded_server

    # The API server is the run's longest start (~6 s of CPU on the machines we measure): it starts
    # first, while this process reads the config and imports Prefect, and stops at once if the
    # command goes no further.
    server = start_embedded_server()
    started = False
    try:
        cfg = _apply_overrides(load_config(args.config), args)
        inputs, output = _inputs_output(cfg, args)
        if not inputs or not output:
            return EXIT_USAGE
        missing = [p for p in inputs if "://" not in str(p) and not Path(p).exists()]
        if missing:
            print(f"boilerclean run: input not found: {', '.join(missing)}", file=sys.stderr)
            return EXIT_USAGE
        from boilerclean.flows import lifeline

        started = True
        with lifeline.stop_on_signals():
            try:
                report = _run_flow(cfg, [str(p) for p in inputs], str(output), args, server)
            except BaseException as exc:  # noqa: BLE001 - the CLI's job is to turn every way of failing into an exit code
                return _run_failed(exc, output)
    finally:
        if server is not None and not started:
            server.stop()
    d = report["documents"]
    print(f"{d['in']} documents: {d['clean']} clean, {d['rejected']} rejected -> {output}/ (report.json)")
    return EXIT_OK


def _run_flow(
    cfg: PipelineConfig, inputs: list[str], output: str, args: argparse.Namespace, server: EmbeddedServer | None
) -> dict:
    """``server``: the temporary API started before Prefect was imported (None: Prefect's settings name one)."""
    from boilerclean.flows.flow import run_flow

    if server is not None and not server.adopt():
        server = None  # Prefect's settings (a profile, prefect.toml) name an API server: use that one
    return run_flow(cfg, inputs, output, full=args.full, wait_s=args.wait, server=server)


def _run_failed(exc: BaseException, output: str) -> int:
    """One line on stderr saying why, and the exit code that goes with it."""
    from boilerclean.flows import lifeline
    from boilerclean.flows.shard import StageBuildError

    signum = lifeline.interrupt_signal(exc)
    if signum is not None:
        import signal

        _flush_prefect()  # its exit-time "still processing" chatter comes before our line, not after
        name = signal.Signals(signum).name
        print(
            f"boilerclean run: stopped by {name}; {output} is left resumable: run the same command again to finish",
            file=sys.stderr,
        )
        return 128 + signum
    if isinstance(exc, SystemExit):
        raise exc
    if isinstance(exc, StageBuildError):
        print(f"boilerclean run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"boilerclean run failed: {exc}", file=sys.stderr)
    return EXIT_FAILED


def _flush_prefect(timeout_s: float = 10.0) -> None:
    """Send Prefect's queued events and logs now (it would do so at exit, with warnings while it waits)."""
    try:
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker

        for worker in (APILogWorker, EventsWorker):
            worker.drain_all(timeout=timeout_s)
    except Exception:  # noqa: BLE001 - best effort: the run has already stopped
        pass


def cmd_serve(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    inputs, output = _inputs_output(cfg, args)
    if not inputs or not output:
        return EXIT_USAGE
    _prefect_env()
    if not os.environ.get("PREFECT_API_URL"):
        print(
            "boilerclean serve: schedules need a Prefect server (an embedded one cannot schedule).\n"
            "  prefect server start --host 127.0.0.1 --port 4200   # in another terminal\n"
            "  export PREFECT_API_URL=http://127.0.0.1:4200/api",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from boilerclean.flows.serve import serve

    serve(cfg, [str(p) for p in inputs], str(output), args.name, args.cron)
    return EXIT_OK


def cmd_clean(args: argparse.Namespace) -> int:
    from boilerclean.cleaners.document import Document
    from boilerclean.cleaners.io.files import looks_binary
    from boilerclean.cleaners.io.readers import decode_bytes
    from boilerclean.cleaners.io.schema import to_boilerclean
    from boilerclean.cleaners.pipeline import clean_documents
    from boilerclean.cleaners.stage import Rejected

    if args.file in (None, "-"):
        data, name = sys.stdin.buffer.read(), "stdin"
    elif Path(args.file).is_dir():
        print(f"boilerclean clean: {args.file} is a folder; clean takes one file (run takes folders)", file=sys.stderr)
        return EXIT_USAGE
    else:
        data, name = Path(args.file).read_bytes(), Path(args.file).name
    if looks_binary(data):  # as `run` does: an image or an archive is not a document
        print("rejected by read: read:binary (not text in any encoding boilerclean reads)", file=sys.stderr)
        return EXIT_FAILED
    text = decode_bytes(data)
    is_html = name.lower().endswith((".html", ".htm")) or text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))
    cfg = load_config(args.config or _default_config(is_html))
    doc = Document(id=name, html=text if is_html else None, text="" if is_html else text, title=args.title)
    if args.explain:
        doc.removals = []
    results, _ = clean_documents(cfg.build_stages(), [doc])
    out = results[0]
    if isinstance(out, Rejected):
        print(
            f"rejected by {out.stage}: {out.reason} {orjson.dumps(out.details, default=str).decode()}", file=sys.stderr
        )
        code = EXIT_FAILED
    elif args.json:
        sys.stdout.write(orjson.dumps(to_boilerclean(out.output_record())).decode() + "\n")
        code = EXIT_OK
    else:
        if out.title:
            print(f"# {out.title}\n")
        sys.stdout.write(out.text + "\n")
        code = EXIT_OK
    if args.explain:
        removals = (out.doc if isinstance(out, Rejected) else out).removals or []
        print(f"--- {len(removals)} removal(s)", file=sys.stderr)
        for r in removals:
            sure = "" if r.score is None else f" (p={r.score:.2f})"
            print(f"[{r.stage}] {r.rule}{sure}: {r.text}", file=sys.stderr)
    return code


def cmd_stages(args: argparse.Namespace) -> int:
    from boilerclean.cleaners.catalog import STAGES, stage_class

    for name in STAGES:
        cls = stage_class(name)
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        print(f"{name}: {doc}")
        for field, info in cls.Params.model_fields.items():
            kind = getattr(info.annotation, "__name__", str(info.annotation)).replace("typing.", "")
            default = info.get_default(call_default_factory=True)
            print(f"    {field} ({kind}, default {default!r}): {info.description or ''}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Each config as a run would use it: parsed, and its stages built (rule packs loaded, patterns
    compiled, models read), so that what passes here cannot fail a run's workers at start."""
    for path in args.configs:
        cfg = load_config(path)
        for spec in cfg.stages:
            try:
                spec.build()
            except Exception as exc:  # noqa: BLE001 - any build failure is this config's problem
                raise ConfigError(f"{path}: stage {spec.name!r} cannot be built: {exc}") from None
        print(f"{path}: OK ({len(cfg.stages)} stages: {', '.join(s.name for s in cfg.stages)})")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="boilerclean", description="Clean scraped web text into sentence-segmented JSONL.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run the Prefect flow over files or folders")
    r.add_argument("config", help="pipeline YAML (see configs/)")
    r.add_argument("--input", "-i", action="append", help="file or folder (repeatable); overrides input.paths")
    r.add_argument("--output", "-o", help="output folder; overrides output.path")
    r.add_argument("--workers", type=int, help="parallel shard workers (processes)")
    r.add_argument("--runner", choices=["local", "dask", "ray"], help="Prefect task runner")
    r.add_argument("--address", help="existing Dask scheduler / Ray cluster address")
    r.add_argument("--shard-mb", type=float, help="input megabytes per shard")
    r.add_argument("--explain", action="store_true", help="keep each document's removals in metadata.removals")
    r.add_argument("--full", action="store_true", help="reprocess every input, not only new or changed files")
    r.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another run on the same output")
    r.set_defaults(func=cmd_run)

    sv = sub.add_parser("serve", help="serve the flow as a Prefect deployment on a cron schedule")
    sv.add_argument("config")
    sv.add_argument("--cron", required=True, help='cron schedule, e.g. "0 * * * *" (hourly)')
    sv.add_argument("--input", "-i", action="append", help="file or folder (repeatable)")
    sv.add_argument("--output", "-o", help="output folder")
    sv.add_argument("--name", default="scheduled", help="deployment name (default: scheduled)")
    sv.set_defaults(func=cmd_serve)

    c = sub.add_parser("clean", help="clean one document: file or stdin -> stdout, no Prefect")
    c.add_argument("file", nargs="?", help="text or HTML file; '-' or nothing reads stdin")
    c.add_argument("--config", "-c", help="pipeline YAML (default: configs/news-text.yaml, news-html.yaml for HTML)")
    c.add_argument("--explain", action="store_true", help="list each removed line and its rule on stderr")
    c.add_argument("--json", action="store_true", help="print the output record as JSON")
    c.add_argument("--title", help="the document's known title (helps remove a repeated headline)")
    c.set_defaults(func=cmd_clean)

    s = sub.add_parser("stages", help="list every stage with its parameters and defaults")
    s.set_defaults(func=cmd_stages)

    v = sub.add_parser("validate", help="check config files without running anything")
    v.add_argument("configs", nargs="+")
    v.set_defaults(func=cmd_validate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except BrokenPipeError:
        # the reader went away (`boilerclean stages | head`): nothing left to say, and no traceback;
        # stdout goes to /dev/null so that the interpreter's final flush does not fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except (OSError, ValueError) as exc:
        print(f"boilerclean {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, FileNotFoundError) else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
