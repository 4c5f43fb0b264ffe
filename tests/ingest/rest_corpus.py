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


_MS_STUB = """<?xml version="1.0" encoding="UTF-8"?>
<entry xmlns="http://www.w3.org/2005/Atom"><id>{uuid}</id>
<link rel="SELF" href="https://hmc1:12443/rest/api/uom/ManagedSystem/{uuid}"/>
<content type="application/vnd.ibm.powervm.uom+xml; type=ManagedSystem">
<ManagedSystem:ManagedSystem xmlns:ManagedSystem="{ns}" xmlns="{ns}">
<Metadata><Atom><AtomID>{uuid}</AtomID></Atom></Metadata>
<MachineTypeModelAndSerialNumber><MachineType>{mtype}</MachineType><Model>{model}</Model>
<SerialNumber>{serial}</SerialNumber></MachineTypeModelAndSerialNumber>
<State>operating</State><SystemName>{name}</SystemName>
</ManagedSystem:ManagedSystem></content></entry>
"""


def managed_system_stub(bundle: Path, uuid: str, name: str, type_model: str, serial: str, hmc: str = "hmc1") -> None:
    """A minimal ManagedSystem entry for corpus VIOS feeds whose managed system's own feed is not in the corpus.

    Only the identity (UUID, name, type-model, serial taken from the feed's location codes) is written: the
    VIOS data under test stays the real feed's.
    """
    mtype, model = type_model.split("-")
    text = _MS_STUB.format(uuid=uuid, name=name, mtype=mtype, model=model, serial=serial,
                           ns="http://www.ibm.com/xmlns/systems/power/firmware/uom/mc/2012_10/")
    (bundle / "rest" / hmc / f"ManagedSystem_{name}.xml").write_text(text, encoding="utf-8")
