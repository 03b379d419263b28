"""Sphinx configuration of the srcscore documentation (MyST Markdown + furo)."""

from __future__ import annotations

import sys
from pathlib import Path

# Document the source tree even when the package is not installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from srcscore import __version__

project = "srcscore"
author = "srcscore developers"
copyright = "srcscore developers, MIT licence"
version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_default_options = {"members": True}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True

html_theme = "furo"
# The JSON Schemas are published at _static/<name>.schema.json, their "$id".
html_static_path = ["schemas"]
html_title = f"srcscore {release}"
