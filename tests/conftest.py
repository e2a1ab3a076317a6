"""Shared test set-up: nbval's sanitize file found from any working directory."""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def pytest_configure(config):
    opt = config.option
    cfg = getattr(opt, "nbval_sanitize_with", None)
    if getattr(opt, "nbval", False) and (not cfg or not Path(cfg).exists()):
        # pyproject's addopts names tests/nbval_sanitize.cfg relative to the repository root
        opt.nbval_sanitize_with = str(HERE / "nbval_sanitize.cfg")
