"""Starting the Tk windows as child processes and following what they report (no Tk here)."""
