import os

# Tests must not pick up a redactor.toml from the developer's home or parents.
os.environ.setdefault("REDACTOR_TEST", "1")
