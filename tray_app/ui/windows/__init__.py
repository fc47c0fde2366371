"""The Tk windows, each run as its own short-lived process (`python -m tray_app.ui.windows.X`)."""
