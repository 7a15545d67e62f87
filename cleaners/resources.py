"""Where the data that ships with the code lives: models, pipeline configs, rule packs.

One place, so the repository checkout and an installed wheel resolve the same names. Installed, the
package is ``boilerclean/cleaners`` beside ``boilerclean/configs`` (package data); in a checkout,
``cleaners/`` sits beside ``configs/``. Both are "the folder next to this package", so nothing here
depends on the working directory.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
MODELS_DIR = PACKAGE_DIR / "models"
CONFIGS_DIR = PACKAGE_DIR.parent / "configs"
RULES_DIR = CONFIGS_DIR / "rules"


def shipped_configs() -> list[str]:
    """Names of the pipeline configs that ship with boilerclean (``news-text``, ...)."""
    return sorted(p.stem for p in CONFIGS_DIR.glob("*.yaml"))


def resolve_config(name: str | Path) -> Path:
    """A path as given when it exists, else a shipped config by name (``news-text`` or ``news-text.yaml``).

    A user's own file always wins over a shipped config of the same name, so a local
    ``news-text.yaml`` is never silently replaced by ours.
    """
    path = Path(name).expanduser()
    if path.exists() or path.parent != Path("."):
        return path
    shipped = CONFIGS_DIR / (path.name if path.suffix in (".yaml", ".yml") else f"{path.name}.yaml")
    return shipped if shipped.exists() else path
