"""Print which app imports which (module-level imports between the project's packages).

    python -m tests.import_graph        # or: make imports

Used for docs/architecture.md; tests/test_architecture.py holds the rule (import-linter)."""

from __future__ import annotations

import sys
from collections import Counter

import grimp

PACKAGES = ["config", "content", "assessment", "guidance", "reports"]


def app_edges(packages: list[str]) -> Counter[tuple[str, str]]:
    present = [p for p in packages if _importable(p)]
    graph = grimp.build_graph(*present, include_external_packages=False)
    edges: Counter[tuple[str, str]] = Counter()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = module.split(".")[0], imported.split(".")[0]
            if a != b and b in present:
                edges[(a, b)] += 1
    return edges


def _importable(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def main() -> None:
    sys.path.insert(0, ".")
    edges = app_edges(PACKAGES)
    for (a, b), n in sorted(edges.items()):
        back = edges.get((b, a), 0)
        mark = "  <-- cycle" if back else ""
        print(f"{a:>11} -> {b:<11} {n:>3} imports{mark}")


if __name__ == "__main__":
    main()
