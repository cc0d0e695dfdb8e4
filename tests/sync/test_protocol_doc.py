"""sync/PROTOCOL.md is the protocol's one description: every kind that travels through sync is
in its entity table, and it needs nothing outside the repository to be read."""

from __future__ import annotations

import re
from pathlib import Path

from server.sync.wire import KINDS

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = ROOT / "sync" / "PROTOCOL.md"


def _section(text: str, heading: str) -> str:
    """The text under ``## heading`` up to the next heading of that level."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:] if end == -1 else text[start:end]


def documented_kinds(text: str) -> set[str]:
    """The entity names of the table in "Entities": each row starts with the name in code."""
    return set(re.findall(r"^\| `([a-z_]+)` \|", _section(text, "Entities"), re.MULTILINE))


def outside_references(text: str, base: Path) -> list[str]:
    """Paths in ``text`` that lead out of the repository. The page names files from the
    repository's root (``server/sync/wire.py``), so any ``../`` climbs out of it (the old
    ``../shared/PROTOCOL.md`` did); a link must lead to a file inside the repository."""
    found = re.findall(r"(?:\.\./)+[\w./-]*", text)
    for link in re.findall(r"\]\(([^)#\s]+)", text):
        if re.match(r"[a-z]+:", link) or "../" in link:  # web addresses are not files
            continue
        target = (base / link).resolve()
        if not target.is_relative_to(ROOT) or not target.exists():
            found.append(link)
    return found


def test_every_synced_kind_is_documented() -> None:
    documented = documented_kinds(PROTOCOL.read_text(encoding="utf-8"))
    assert set(KINDS) - documented == set(), "kinds the sync registry has, missing from the page"
    assert documented - set(KINDS) == set(), "kinds the page lists that no longer travel"


def test_the_page_points_nowhere_outside_the_repository() -> None:
    assert outside_references(PROTOCOL.read_text(encoding="utf-8"), PROTOCOL.parent) == []


def test_the_checks_see_what_they_look_for() -> None:
    """The two checks above on pages that break them: a missing kind, a way out."""
    page = "x\n## Entities\n\n| entity |\n|---|\n| `child` |\n| `guardian` |\n## Next\n| `task` |\n"
    assert documented_kinds(page) == {"child", "guardian"}
    base = PROTOCOL.parent
    assert outside_references("Property numbers refer to `../shared/PROTOCOL.md`.", base) == [
        "../shared/PROTOCOL.md"
    ]
    assert outside_references("see [the design](/work/shared/DESIGN.md)", base) == [
        "/work/shared/DESIGN.md"
    ]
    assert outside_references("see [the design](DESIGN.md)", base) == ["DESIGN.md"]
    assert outside_references("see `server/kinds.py` and [it](PROTOCOL.md#limits)", base) == []
