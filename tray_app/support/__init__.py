"""Small helpers every part may use: file places, packaged resources, time zone, logging,
exit codes, child-process environment, safe reads of user files."""
