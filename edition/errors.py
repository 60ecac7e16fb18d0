"""The one exception type the command line catches, for failures that are not the documents' fault."""


class EditionError(Exception):
    """A problem the user can fix (a missing file, a bad option); printed as one line, exit code 2."""
