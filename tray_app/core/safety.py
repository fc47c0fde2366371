"""The safety text: one home for what every view of the exercises says about safety."""

# Shown under every exercise (the break window, `sitbreak exercises show`) and in About.
SAFETY_LINE = (
    "This is not medical advice. Stop at once if anything hurts, and if you have a spine "
    "or hip condition, check with a clinician before you start. If your back has just gone "
    "into spasm (it has \"gone out\"), do not exercise: rest it, and see a clinician if it "
    "does not settle."
)
