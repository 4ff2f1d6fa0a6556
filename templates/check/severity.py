"""How heavy a finding is: an error blocks generation and signing; a warning is for the author to weigh."""

ERROR = "fout"
WARNING = "waarschuwing"
