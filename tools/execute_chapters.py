"""Regenerate every chapter's stored outputs reproducibly.

    python tools/execute_chapters.py [notebook ...]      (default: all chapters)

Each notebook runs in a fresh kernel (nbclient, 2 worker processes), without stored widget
state (5 MB per FigureWidget) and without timing metadata; stream outputs are coalesced
(their chunking depends on timing) and widget model ids are renumbered, so re-running
changes only what really changed.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"


def execute(path: str) -> str:
    import nbformat
    from nbclient import NotebookClient
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    os.environ.setdefault("PYTHONHASHSEED", "0")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=300, store_widget_state=False,
                            record_timing=False, resources={"metadata": {"path": str(Path(path).parent)}})
    client.execute()
    nb.metadata.pop("widgets", None)
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    counter = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view is not None:
                counter += 1
                view["model_id"] = f"{counter:032x}"
    nbformat.write(nb, path)
    return path


def main(argv: list[str]) -> int:
    paths = [str(Path(a).resolve()) for a in argv] or sorted(
        str(p) for p in CHAPTERS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    os.environ["PYTHONHASHSEED"] = "0"
    with ProcessPoolExecutor(2) as pool:
        for done in pool.map(execute, paths):
            print("executed", Path(done).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
