"""Printing figures: one aligned row each, with the aim beside it where there is one."""

from __future__ import annotations

from typing import Any

Row = tuple[str, str, str, str]  # label, key in the figures, unit, aim ("" for none)


def print_rows(figures: dict[str, Any], rows: list[Row]) -> None:
    for label, key, unit, aim in rows:
        value = figures[key]
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        print(f"  {label:<40} {shown:>14} {unit:<11} {('aim ' + aim) if aim else ''}")
