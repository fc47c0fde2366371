"""sitbreak: notices real sitting time and offers short hip, core and posture breaks."""

__version__ = "0.1.0"
APP_NAME = "sitbreak"
