"""Start sitbreak at login, per OS: `choose.detect()` picks the backend."""
