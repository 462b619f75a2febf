"""The legal notice every balloon output carries; it names its own sources."""

#: One line, shown on every map, chart, table and command output of the balloon channel.
LEGAL_NOTICE = ("Legal notice: since the Aviation Safety Act amendment of 2 Dec 2025, South Korea bans "
                "all unmanned free balloons in its border no-fly zones, whatever their payload "
                "(SBS 2025-12-03; Dong-A Ilbo 2025-11-06); this model is for evaluation, not for planning launches.")

LEGAL_NOTICE_SHORT = ("Legal: South Korea bans unmanned free balloons in border no-fly zones "
                      "(Aviation Safety Act amendment, 2 Dec 2025). For evaluation only.")
