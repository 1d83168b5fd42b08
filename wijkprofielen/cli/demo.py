"""``demo``: write the synthetic example dataset."""

from __future__ import annotations

from pathlib import Path

from ..dataset import save_dataset
from ..errors import WijkprofielenError
from ..synthetic import voorbeeldstad
from ._args import whole


def register(sub) -> None:
    p = sub.add_parser("demo", help="schrijf de synthetische voorbeeldgemeente (GeoParquet)")
    p.add_argument("--out", required=True, help="doelbestand, bijvoorbeeld voorbeeldstad.parquet")
    p.add_argument("--seed", type=whole("--seed", 0, 2**32 - 1), default=9999, help="toevalszaad (standaard 9999: de ingebouwde dataset)")
    p.set_defaults(func=run)


def run(args) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".parquet", ".geoparquet"):
        raise WijkprofielenError(f"--out {out}: de voorbeelddataset wordt als GeoParquet geschreven. Gebruik de extensie .parquet.")
    if not out.parent.exists():
        raise WijkprofielenError(f"Map {out.parent} bestaat niet. Maak die eerst aan of kies een ander --out.")
    ds = voorbeeldstad(args.seed)
    save_dataset(ds, out)
    print(f"{len(ds.gebieden)} buurten van {ds.naam} geschreven naar {out} (synthetisch).")
    return 0
