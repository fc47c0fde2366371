"""The safety text: one home for what every view of the exercises says about safety.

Current guidance for low back pain (NICE NG59, 2016, updated 2020; American College of
Physicians, 2017): stay active and avoid bed rest, even in an acute spell; exercise is a
treatment, not something to wait out. Symptoms that may mean a nerve or spinal emergency, an
infection or something other than mechanical back pain ("red flags") need urgent care, not
exercises.
"""

from tray_app.core.text import Text, listing

# The red flags, in plain words, each a reason to get urgent care instead of exercising.
# Text: each is translated where the safety line is shown (support.i18n.tr).
RED_FLAGS = (
    Text("numbness between the legs or buttocks (saddle area)"),
    Text("new trouble controlling urine or bowels"),
    Text("a leg or foot growing weaker"),
    Text("back pain with fever"),
    Text("pain that is worse at night or at rest"),
)

# Shown under every exercise (the break window, the console prompt, `sitbreak exercises show`),
# in About and in the first-run check.
SAFETY_LINE = Text(
    "Not medical advice. Stop any move that hurts; with a spine, hip or knee condition, or in "
    "pregnancy, ask a clinician which moves suit you. If your back has gone into spasm, stay "
    "gently active: walk about, avoid bed rest, keep to easy moves. Get urgent care for "
    "{red_flags}.", red_flags=listing(RED_FLAGS))
