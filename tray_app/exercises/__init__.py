"""The exercise catalogue: data file, loader and validator, pictures, terminal formatting.

Import the submodules directly (`tray_app.exercises.loader`, `.pictures`, `.format`);
this package stays light so loading the catalogue never pulls in Pillow.
"""

from __future__ import annotations
