"""The tray's desktop: is a tray host there, is the icon docked, is the desktop still up."""
