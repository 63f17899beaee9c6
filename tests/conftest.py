import os

# Tests must not pick up a redactor.toml from the developer's home or parents.
os.environ.setdefault("REDACTOR_TEST", "1")


# Every JSON report any test produces, in this process or in a CLI/service subprocess (they
# inherit the environment), is validated against the published schema
# (src/redactor/report/report.schema.json): the schema is a contract, not documentation.
os.environ.setdefault("REDACTOR_VALIDATE_REPORTS", "1")
