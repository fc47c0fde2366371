"""A pystray backend that is a StatusNotifierItem with a com.canonical.dbusmenu menu.

Spoken over the session D-Bus with jeepney alone (no GTK, no X): KDE Plasma, GNOME with the
AppIndicator extension, XFCE, Cinnamon, Budgie and waybar host it. `menu_layout` turns
pystray's menu and picture into the D-Bus values (pure), `bus` serves them, `item` is the
pystray Icon the app drives.
"""
