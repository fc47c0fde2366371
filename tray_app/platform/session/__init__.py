"""The graphical session: what kind it is, and sleep, wake, lock and unlock."""
