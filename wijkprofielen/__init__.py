"""wijkprofielen: place CBS buurten on two axes, draagkracht and fysieke kansen.

The package is the product; the Streamlit pages only call it. Everything here except
:mod:`wijkprofielen.ui` imports and runs without Streamlit.
"""

from importlib.metadata import PackageNotFoundError, version

from .config import Config, Recipe, load_config
from .dataset import Dataset, load_dataset, save_dataset
from .errors import ConfigError, DataError, WijkprofielenError
from .scoring import ScoreResult, score
from .synthetic import voorbeeldstad
from .workspace import Workspace

try:
    __version__ = version("wijkprofielen")
except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
    __version__ = "0.0.0"

__all__ = [
    "Config", "ConfigError", "DataError", "Dataset", "Recipe", "ScoreResult", "WijkprofielenError", "Workspace",
    "load_config", "load_dataset", "save_dataset", "score", "voorbeeldstad", "__version__",
]
