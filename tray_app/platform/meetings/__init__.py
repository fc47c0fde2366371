"""Is the user in a call? A camera, a microphone or a screen share in use holds a due break."""
