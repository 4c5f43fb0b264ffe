"""Test helper: the real REST feeds of the corpus as plain XML files (pypowervm's wrapper stripped).

pypowervm's test data wraps each HTTP response in `INFO{...}` / `HEADERS{...}` / `BODY{...}`
sections; the body is the HMC's own Atom XML. The product never sees the wrapper: tests copy
only the body into a temporary bundle (the corpus itself is read in place, never modified).
"""

from __future__ import annotations

from pathlib import Path

PYPOWERVM = "pypowervm-1.1.27/tests/data"
HMCI = "mnellemann-hmci/src/test/resources"


def pypowervm_body(path: Path) -> str:
    """The XML inside BODY{ ... END OF SECTION} of a pypowervm test-data file."""
    text = path.read_text(encoding="utf-8")
    start = text.index("BODY{") + len("BODY{")
    end = text.rindex("END OF SECTION}")
    return text[start:end].strip() + "\n"


def rest_bundle(corpus: Path, tmp: Path, pypowervm: tuple[str, ...] = (), hmci: tuple[str, ...] = (),
                hmc: str = "hmc1") -> Path:
    """A bundle folder with the named corpus feeds under rest/<hmc>/ (bodies only)."""
    out = tmp / "bundle"
    folder = out / "rest" / hmc
    folder.mkdir(parents=True, exist_ok=True)
    for name in pypowervm:
        (folder / f"{name}.xml").write_text(pypowervm_body(corpus / PYPOWERVM / f"{name}.txt"), encoding="utf-8")
    for name in hmci:
        (folder / name).write_bytes((corpus / HMCI / name).read_bytes())
    return out
