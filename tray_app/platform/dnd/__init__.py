"""Is the desktop's do-not-disturb switched on?"""
