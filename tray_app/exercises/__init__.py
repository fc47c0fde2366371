"""The exercise catalogue: data file, loader and validator, pictures, terminal formatting.

Import the submodules directly (`tray_app.exercises.loader`, `.pictures`, `.format`);
this package stays light so loading the catalogue never pulls in Pillow.
"""

from __future__ import annotations

# Shown under every exercise, in the break window and in `sitbreak exercises show`.
SAFETY_LINE = (
    "This is not medical advice. Stop at once if anything hurts, and if you have a spine "
    "or hip condition, check with a clinician before you start. If your back has just gone "
    "into spasm (it has \"gone out\"), do not exercise: rest it, and see a clinician if it "
    "does not settle."
)
