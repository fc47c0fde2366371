"""The tray icon (pystray): backend choice, pictures, and the xorg backend's repairs."""
