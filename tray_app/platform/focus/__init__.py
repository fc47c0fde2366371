"""Give the break window the keyboard where the desktop allows it, and say whether it worked:
`choose.detect()` picks sway/i3 IPC, Hyprland's socket, X11, or none."""
